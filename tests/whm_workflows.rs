//! What people automating WHM write beyond single calls: filtered, sorted
//! and paged lists, batches, and calls to cPanel's APIs through WHM, all
//! against the fake WHM server.

use serde_json::{Value, json};
use whm_api::accounts::{Createacct, Listaccts};
use whm_api::api_development_tools::{Cpanel, UapiCpanel};
use whm_api::testing::FakeServer;
use whm_api::{Error, Filter, Order, SortMethod};

/// A server whose `listaccts` lists `n` accounts: `shop` in every third
/// domain, disk use going up and down.
async fn server_with_accounts(n: usize) -> (FakeServer, whm_api::Client) {
    let server = FakeServer::start().await.unwrap();
    let accounts: Vec<Value> = (1..=n)
        .map(|i| {
            let domain = if i % 3 == 0 { format!("shop{i}.example") } else { format!("site{i}.example") };
            json!({
                "user": format!("user{i:04}"),
                "domain": domain,
                "diskused": format!("{}M", (i * 37) % 101),
                "disklimit": if i % 5 == 0 { "unlimited".to_owned() } else { format!("{}M", i * 10) },
                "ip": format!("192.0.2.{}", i % 250),
                "suspended": i32::from(i % 7 == 0),
            })
        })
        .collect();
    server.set_example(
        "listaccts",
        &json!({"data": {"acct": accounts}, "metadata": {"result": 1, "reason": "OK"}}),
    );
    let client = server.client().unwrap();
    (server, client)
}

#[tokio::test]
async fn one_loop_pages_through_every_account_a_filter_matches() {
    let (server, client) = server_with_accounts(1000).await;
    let mut pages = client
        .listaccts(Listaccts::new())
        .filter("domain", Filter::Contains("shop".into()))
        .sort("user", SortMethod::Lexicographic, Order::Ascending)
        .pages(100);
    let mut users = Vec::new();
    while let Some(page) = pages.next().await {
        users.extend(page.unwrap().acct.into_iter().map(|a| a.user));
    }
    assert_eq!(users.len(), 333, "every third of 1000 accounts");
    assert!(
        users.windows(2).all(|w| w[0] < w[1]),
        "sorted, no repeats across pages"
    );
    assert_eq!(server.request_count(), 4, "333 accounts in pages of 100");
    let last = server.requests().pop().unwrap();
    let params: std::collections::BTreeMap<_, _> = last.params.into_iter().collect();
    assert_eq!(params["api.chunk.start"], "301");
    assert_eq!(params["api.filter.a.type"], "contains");
}

#[tokio::test]
async fn pages_are_a_stream_too() {
    use futures_util::StreamExt as _;
    let (_server, client) = server_with_accounts(250).await;
    let pages: Vec<_> = client
        .listaccts(Listaccts::new())
        .pages(100)
        .collect()
        .await;
    let sizes: Vec<usize> = pages.into_iter().map(|p| p.unwrap().acct.len()).collect();
    assert_eq!(sizes, [100, 100, 50]);
}

#[tokio::test]
async fn the_server_reports_what_it_did_in_typed_metadata() {
    let (_server, client) = server_with_accounts(50).await;
    let reply = client
        .listaccts(Listaccts::new())
        .filter("*", Filter::Contains("shop".into()))
        .columns(["user", "domain", "nonsense"])
        .chunk(5, 6)
        .reply()
        .await
        .unwrap();
    let output = reply.output.unwrap();
    assert_eq!(output.filter.unwrap().filtered, 50);
    let chunk = output.chunk.unwrap();
    assert_eq!(
        (
            chunk.start,
            chunk.size,
            chunk.records,
            chunk.current,
            chunk.chunks
        ),
        (6, 5, 16, 2, 4)
    );
    assert_eq!(output.columns.unwrap().invalid, ["nonsense"]);
    assert_eq!(reply.data.acct.len(), 5);
    assert!(
        reply.data.acct.iter().all(|a| a.ip.is_empty()),
        "only the asked columns come back"
    );
}

#[tokio::test]
async fn every_filter_operator_and_sort_method_is_typed_and_applied() {
    let (_server, client) = server_with_accounts(100).await;
    let count = |filter: Filter, field: &'static str| {
        let client = client.clone();
        async move {
            client
                .listaccts(Listaccts::new())
                .filter(field, filter)
                .await
                .unwrap()
                .acct
                .len()
        }
    };
    assert_eq!(count(Filter::Contains("SHOP".into()), "domain").await, 33);
    assert_eq!(count(Filter::Begins("user000".into()), "user").await, 9);
    assert_eq!(count(Filter::Equals("user0042".into()), "user").await, 1);
    assert_eq!(
        count(Filter::NumberEquals("1".into()), "suspended").await,
        14
    );
    assert_eq!(count(Filter::LessThan("1".into()), "suspended").await, 86);
    assert_eq!(count(Filter::AtMost("0".into()), "suspended").await, 86);
    assert_eq!(
        count(Filter::GreaterThan("0".into()), "suspended").await,
        14
    );
    assert_eq!(count(Filter::AtLeast("1".into()), "suspended").await, 14);
    // "990M" is no number; only `unlimited` is greater.
    assert_eq!(
        count(Filter::GreaterThanUnlimited("990".into()), "disklimit").await,
        20
    );
    assert_eq!(
        count(Filter::LessThanUnlimited("50".into()), "disklimit").await,
        0
    );

    let first = |method: SortMethod, field: &'static str, order: Order| {
        let client = client.clone();
        async move {
            let accounts = client
                .listaccts(Listaccts::new())
                .sort(field, method, order)
                .await
                .unwrap()
                .acct;
            accounts[0].user.clone()
        }
    };
    assert_eq!(
        first(SortMethod::Lexicographic, "user", Order::Descending).await,
        "user0100"
    );
    assert_eq!(
        first(SortMethod::Numeric, "suspended", Order::Descending).await,
        "user0007"
    );
    assert_eq!(
        first(SortMethod::NumericZeroAsMax, "suspended", Order::Descending).await,
        "user0001"
    );
    assert_eq!(
        first(SortMethod::Ipv4, "ip", Order::Descending).await,
        "user0100"
    );
}

#[tokio::test]
async fn a_batch_gives_each_call_its_own_result() {
    let server = FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    server.fail(
        "createacct",
        "Sorry, a group for that username already exists.",
    );
    let mut batch = client.new_batch();
    let accounts = batch.add(&Listaccts::new());
    let created = batch.add(&Createacct::new("bob").password("hunter2-secret"));
    let version = batch.add(&whm_api::server_administration::Version::new());
    let replies = client.run_batch(batch).await.unwrap();
    assert_eq!(replies.len(), 3);
    assert!(!replies.get(&accounts).unwrap().acct.is_empty());
    let e = replies.get(&created).unwrap_err();
    assert!(
        matches!(&e, Error::Api { operation, reason, .. } if operation == "createacct" && reason.contains("already exists")),
        "{e:?}"
    );
    assert!(!replies.get(&version).unwrap().version.is_empty());
    // Nothing of a call's reply is lost beside its payload.
    let listed = replies.reply(&accounts).unwrap();
    assert!(listed.rest["metadata"].is_object(), "{}", listed.rest);
    let sent = server.requests().pop().unwrap();
    let commands: Vec<&str> = sent
        .params
        .iter()
        .filter(|(k, _)| k == "command")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        commands,
        [
            "listaccts",
            "createacct?password=hunter2-secret&username=bob",
            "version"
        ]
    );
    assert!(
        !format!("{replies:?}").contains("hunter2-secret"),
        "no secret in Debug"
    );

    // A batch that succeeds keeps its own members beside the calls'.
    let mut batch = client.new_batch();
    let version = batch.add(&whm_api::server_administration::Version::new());
    let replies = client.run_batch(batch).await.unwrap();
    assert!(!replies.get(&version).unwrap().version.is_empty());
    assert!(replies.rest()["metadata"].is_object(), "{}", replies.rest());

    // Stopping at the first failure leaves later calls without a result.
    let mut batch = client.new_batch().abort_on_error(true);
    let created = batch.add(&Createacct::new("bob"));
    let version = batch.add(&whm_api::server_administration::Version::new());
    let replies = client.run_batch(batch).await.unwrap();
    assert!(matches!(replies.get(&created), Err(Error::Api { .. })));
    let e = replies.get(&version).unwrap_err();
    assert!(e.to_string().contains("not run"), "{e}");
}

#[tokio::test]
async fn cpanel_api_2_calls_run_on_behalf_of_a_user() {
    let server = cpanel_api::testing::FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    let rows = client
        .as_user("Bob")
        .email_clearpopcache(cpanel_api::email::EmailClearpopcache::new("bob"))
        .await
        .unwrap();
    assert!(rows[0].status);
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, "/json-api/cpanel");
    assert_eq!(
        String::from_utf8(sent.body).unwrap(),
        "api.version=1&cpanel_jsonapi_apiversion=2&cpanel_jsonapi_user=bob\
         &cpanel_jsonapi_module=Email&cpanel_jsonapi_func=clearpopcache&username=bob",
        "the user in lowercase, the module and function constant"
    );
    let rows = client
        .as_user("bob")
        .disk_usage_buildcache(cpanel_api::disk_usage::DiskUsageBuildcache::new())
        .await
        .unwrap();
    assert_eq!(rows[0].statusmsg, "cache built");

    // A failure in the `cpanelresult` envelope, and a user that does not exist.
    server.fail("Email::clearpopcache", "The account “bob” does not exist.");
    let e = client
        .as_user("bob")
        .email_clearpopcache(cpanel_api::email::EmailClearpopcache::new("bob"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason.contains("does not exist")),
        "{e:?}"
    );
    server.respond(
        "DiskUsage::buildcache",
        200,
        "application/json",
        r#"{"error":"User file '/var/cpanel/users/nobody' does not exist","data":{"reason":"User file does not exist","result":"0"}}"#,
    );
    let e = client
        .as_user("nobody")
        .disk_usage_buildcache(cpanel_api::disk_usage::DiskUsageBuildcache::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason.starts_with("User file")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_cpanel_api_client_shares_the_whm_client_connection() {
    let server = FakeServer::start().await.unwrap();
    let whm = server.client().unwrap();
    let cpanel = cpanel_api::Client::from_runtime(whm.runtime().clone());
    server.respond(
        "cpanel",
        200,
        "application/json",
        r#"{"cpanelresult":{"apiversion":2,"func":"clearpopcache","data":[{"status":1}],"event":{"result":1},"module":"Email"}}"#,
    );
    let rows = cpanel
        .as_user("bob")
        .email_clearpopcache(cpanel_api::email::EmailClearpopcache::new("bob"))
        .await
        .unwrap();
    assert!(rows[0].status);
}

#[tokio::test]
async fn uapi_failures_count_even_when_whm_says_it_dispatched() {
    let server = FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    let features = client
        .uapi_cpanel(UapiCpanel::new("get_features", "Features", "bob"))
        .await
        .unwrap();
    assert_eq!(features[0].name, "addondomains");
    server.respond(
        "uapi_cpanel",
        200,
        "application/json",
        r#"{"data":{"uapi":{"status":0,"errors":["The domain is not valid.","Try another."],"data":null,"messages":null,"warnings":null}},"metadata":{"command":"uapi_cpanel","result":1,"reason":"OK"}}"#,
    );
    let e = client
        .uapi_cpanel(UapiCpanel::new("add_domain", "Park", "bob"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason == "The domain is not valid.; Try another."),
        "{e:?}"
    );
    // A UAPI function the spec does not describe, decoded into the caller's type.
    #[derive(Debug, serde::Deserialize)]
    struct Domains {
        main_domain: String,
    }
    server.respond(
        "uapi_cpanel",
        200,
        "application/json",
        r#"{"data":{"uapi":{"status":1,"errors":null,"data":{"main_domain":"example.com","sub_domains":[]},"warnings":["slow"]}},"metadata":{"command":"uapi_cpanel","result":1}}"#,
    );
    let reply = client
        .uapi_cpanel(UapiCpanel::new("list_domains", "DomainInfo", "bob"))
        .data_as::<Domains>()
        .await
        .unwrap();
    assert_eq!(reply.data.main_domain, "example.com");
    assert_eq!(reply.warnings, ["slow"]);
}

#[tokio::test]
async fn the_cpanel_function_reads_uapi_results_too() {
    let server = FakeServer::start().await.unwrap();
    let client = server.client().unwrap();
    server.respond(
        "cpanel",
        200,
        "application/json",
        r#"{"apiversion":3,"module":"Email","func":"list_pops","result":{"status":0,"errors":["No mail here."],"data":null}}"#,
    );
    let request = Cpanel::new("list_pops", "Email", "bob").cpanel_jsonapi_apiversion(3);
    let e = client.cpanel(request.clone()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { reason, .. } if reason == "No mail here."),
        "{e:?}"
    );
    server.respond(
        "cpanel",
        200,
        "application/json",
        r#"{"apiversion":3,"module":"Email","func":"list_pops","result":{"status":1,"errors":null,"data":[{"email":"bob@example.com"}]}}"#,
    );
    let data = client.cpanel(request).await.unwrap();
    assert_eq!(data[0]["email"], "bob@example.com");
}

#[test]
fn blocking_pages_are_an_iterator() {
    let server = FakeServer::start_in_background(false).unwrap();
    let accounts: Vec<Value> = (1..=25)
        .map(|i| json!({"user": format!("u{i:02}")}))
        .collect();
    server.set_example(
        "listaccts",
        &json!({"data": {"acct": accounts}, "metadata": {"result": 1}}),
    );
    let client = server.blocking_client().unwrap();
    let sizes: Vec<usize> = client
        .listaccts(Listaccts::new())
        .pages(10)
        .map(|p| p.unwrap().acct.len())
        .collect();
    assert_eq!(sizes, [10, 10, 5]);
}
