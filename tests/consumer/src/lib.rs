//! Bindings generated at build time from fixture specs and from a subset of
//! WHM API 1, each included in a module of its own.

/// Every kind of parameter and reply member.
pub mod params {
    include!(concat!(env!("OUT_DIR"), "/params.rs"));
}

/// JSON and form bodies, an API key, a fixed server.
pub mod bodies {
    include!(concat!(env!("OUT_DIR"), "/bodies.rs"));
}

/// Names that are keywords, collide, or start with digits.
pub mod hostile {
    include!(concat!(env!("OUT_DIR"), "/hostile.rs"));
}

/// Types that hold themselves.
pub mod recursive {
    include!(concat!(env!("OUT_DIR"), "/recursive.rs"));
}

/// Bearer and header-key auth, optional and enum reply members, a list.
pub mod modern {
    include!(concat!(env!("OUT_DIR"), "/modern.rs"));
}

/// Groups, operations and a client view named as the crate's own items.
pub mod own_names {
    include!(concat!(env!("OUT_DIR"), "/own_names.rs"));
}

/// Values of several types: tagged by a member, told apart by kind or
/// by members.
pub mod unions {
    include!(concat!(env!("OUT_DIR"), "/unions.rs"));
}

/// The OpenAPI Initiative's petstore, as published.
pub mod oai_petstore {
    include!(concat!(env!("OUT_DIR"), "/oai_petstore.rs"));
}

/// Swagger's petstore (OpenAPI 3), as published.
pub mod swagger_petstore3 {
    include!(concat!(env!("OUT_DIR"), "/swagger_petstore3.rs"));
}

/// WHM API 1's `DNS` group with each function's details (`.details(true)`).
pub mod whm_details {
    include!(concat!(env!("OUT_DIR"), "/whm_details.rs"));
}

/// The same group without them.
pub mod whm_wire_only {
    include!(concat!(env!("OUT_DIR"), "/whm_wire_only.rs"));
}

/// WHM API 1's `Accounts` and `DNS` groups.
pub mod whm_subset {
    include!(concat!(env!("OUT_DIR"), "/whm_subset.rs"));
}

#[cfg(test)]
mod tests {
    use whm_runtime::testing::ExampleCall;
    use whm_runtime::{Params, Request};

    fn form<R: Request>(request: &R) -> String {
        let mut params = Params::new();
        request.params(&mut params);
        params.to_form()
    }

    #[test]
    fn every_parameter_kind_encodes_as_the_protocol_wants() {
        use crate::params::things::{Searchtype, SetThings};
        let request = SetThings::new("bob", "hunter2")
            .count(3)
            .ratio(0.5)
            .enabled(true)
            .truth(false)
            .searchtype(Searchtype::Owner)
            .maxftp(whm_runtime::Limit::Unlimited)
            .acl(["list-accts", "create-acct"])
            .merge(true)
            .enabledigest(1)
            .config(serde_json::json!({"a": 1}))
            .variable_names_and_values("domain", "example.com");
        // `enabled` is an integer of 0 and 1 in the spec, `truth` a
        // boolean: each goes as its schema says.
        assert_eq!(
            form(&request),
            "user=bob&count=3&ratio=0.5&enabled=1&truth=false&searchtype=owner&maxftp=unlimited\
             &acl=list-accts&acl=create-acct&password=hunter2&theme=jupiter&merge=1&enabledigest=1\
             &config=%7B%22a%22%3A1%7D&domain=example.com"
        );
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("hunter2"),
            "a password shows in Debug: {shown}"
        );
    }

    #[test]
    fn optional_parameters_are_left_out() {
        let request = crate::params::things::SetThings::new("bob", "pw");
        assert_eq!(form(&request), "user=bob&password=pw&theme=jupiter");
    }

    #[test]
    fn replies_decode_leniently_and_keep_unknown_members() {
        let example = r#"{"name":"thing","uid":"1001","load":"0.5","ok":"1","limit":"unlimited","note":null,
            "tags":{},"owner":{"user":"root","since":null,"extra_member":"kept"},
            "accounts":[{"user":"bob","suspended":"0"}],"by_domain":{"example.com":{"ip":"192.0.2.1"}},
            "anything":[1,"two"],"unknown":{"deep":[1]}}"#;
        let data: crate::params::things::SetThingsData = serde_json::from_str(example).unwrap();
        assert_eq!(data.uid, 1001);
        assert_eq!(data.load, 0.5);
        assert!(data.ok);
        assert_eq!(data.limit, Some(whm_runtime::Limit::Unlimited));
        assert_eq!(data.note, None);
        assert!(data.tags.is_empty(), "{{}} is an empty list");
        assert_eq!(data.owner.extra["extra_member"], "kept");
        assert_eq!(data.accounts[0].suspended, 0);
        assert_eq!(data.by_domain["example.com"].ip, "192.0.2.1");
        assert_eq!(data.extra["unknown"]["deep"][0], 1);
    }

    #[test]
    fn lists_of_reply_structs_take_every_spelling_of_a_list() {
        use crate::params::things::SetThingsData;
        let accounts = |json: &str| {
            let data: SetThingsData =
                serde_json::from_str(&format!(r#"{{"accounts":{json}}}"#)).unwrap();
            data.accounts
                .iter()
                .map(|a| (a.user.clone(), a.suspended, a.extra.len()))
                .collect::<Vec<_>>()
        };
        let two = vec![("bob".to_owned(), 1, 1), ("eve".to_owned(), 0, 0)];
        let bob = r#"{"user":"bob","suspended":"1","shell":"/bin/sh"}"#;
        let eve = r#"{"suspended":false,"user":"eve"}"#;
        assert_eq!(accounts(&format!("[{bob},{eve}]")), two);
        assert_eq!(accounts(&format!(r#"{{"0":{bob},"1":{eve}}}"#)), two);
        assert_eq!(accounts(&format!("[{bob},{{}}]"))[1], (String::new(), 0, 0));
        for empty in ["[]", "{}", "null"] {
            assert!(accounts(empty).is_empty(), "{empty}");
        }
        // An element that is not an object is kept, under its place, not
        // made a struct.
        let data: SetThingsData =
            serde_json::from_str(&format!(r#"{{"accounts":[{bob},7]}}"#)).unwrap();
        assert_eq!(data.accounts.len(), 1);
        assert_eq!(data.extra["accounts[1]"], 7);
    }

    #[test]
    fn json_bodies_carry_constants_and_skip_absent_fields() {
        use crate::bodies::lists::{AddRecords, AddRecordsRecords, ListName};
        let request = AddRecords::new(
            ListName::White,
            [AddRecordsRecords {
                ip: "192.0.2.1".into(),
                comment: None,
            }],
        )
        .dry_run(true);
        assert_eq!(form(&request), "dry_run=1");
        assert_eq!(
            request.json_body().unwrap(),
            serde_json::json!({"api.version": 1, "list_name": "white", "records": [{"ip": "192.0.2.1"}]})
        );
        // A member the spec lets be `null` is sent as `null` when asked,
        // at the top and nested; set, it is its value.
        let record = |comment| AddRecordsRecords {
            ip: "192.0.2.2".into(),
            comment,
        };
        let request = AddRecords::new(ListName::Black, [record(Some(None))]).expires_null();
        assert_eq!(
            request.json_body().unwrap(),
            serde_json::json!({"api.version": 1, "list_name": "black",
                "records": [{"ip": "192.0.2.2", "comment": null}], "expires": null})
        );
        let request = AddRecords::new(ListName::Black, [record(Some(Some("x".into())))])
            .expires_null()
            .expires(30);
        assert_eq!(
            request.json_body().unwrap(),
            serde_json::json!({"api.version": 1, "list_name": "black",
                "records": [{"ip": "192.0.2.2", "comment": "x"}], "expires": 30})
        );
        // A required member that may be `null`: its value, or `null`.
        use crate::bodies::lists::{LabelList, LabelListOwner};
        let request = LabelList::new("red", LabelListOwner::new("ops"));
        assert_eq!(
            request.json_body().unwrap(),
            serde_json::json!({"label": "red", "owner": {"name": "ops"}})
        );
        let mut owner = LabelListOwner::new("ops");
        owner.name = None;
        let request = LabelList::new("red", owner).label_null();
        assert_eq!(
            request.json_body().unwrap(),
            serde_json::json!({"label": null, "owner": {"name": null}})
        );
    }

    #[test]
    fn form_bodies_keep_documented_order() {
        let request = crate::bodies::cloud::PurgeCache::new(1, "server1", "stack");
        assert_eq!(form(&request), "client_id=1&server=server1&name=stack");
        assert_eq!(
            crate::bodies::API.default_base_url.as_deref(),
            Some("https://api.example.com")
        );
        assert_eq!(crate::bodies::API.base_path, "/1.0");
    }

    #[test]
    fn hostile_names_compile_and_keep_wire_names() {
        let request = crate::hostile::self_::Type::new("t")
            .self_("s")
            .r#match(crate::hostile::self_::Match::Self_)
            .bwlimit_2("upper")
            .bwlimit("lower")
            ._2fa_enabled(true);
        assert_eq!(
            form(&request),
            "type=t&self=s&2fa_enabled=1&BWLIMIT=upper&bwlimit=lower&match=Self"
        );
    }

    #[test]
    fn types_that_hold_themselves_decode_and_encode() {
        use crate::recursive::types::{Branch, Node};
        let body = br#"{"data":{"name":"root","child":{"name":"left","child":null},
            "kids":[{"name":"a"}],"other":{"back":{"name":"deep","child":{"name":"deeper"}}}},
            "metadata":{"result":1}}"#;
        let reply =
            whm_runtime::__private::read_reply::<crate::recursive::trees::Tree>(200, body).unwrap();
        let root: Node = reply.data;
        assert_eq!(root.name, "root");
        let left = root.child.as_deref().unwrap();
        assert_eq!(left.name, "left");
        assert!(left.child.is_none(), "null ends a branch");
        assert_eq!(root.kids[0].name, "a");
        let deep = root
            .other
            .as_deref()
            .and_then(|b| b.back.as_deref())
            .unwrap();
        assert_eq!(deep.child.as_deref().unwrap().name, "deeper");
        // The default ends at once rather than holding itself for ever.
        assert!(Node::<String>::default().child.is_none());
        let _ = Branch::<String>::default();
        // A request body holds the tree too.
        let tree = crate::recursive::types::NodeInput {
            name: Some("t".to_owned()),
            child: Some(Box::default()),
            ..Default::default()
        };
        let plant = crate::recursive::trees::Plant::new().tree(tree);
        let body = plant.json_body().unwrap();
        assert_eq!(
            body,
            serde_json::json!({"tree": {"name": "t", "child": {}}})
        );
        // An optional list of a nested type is sent as set, empty too.
        let tree = crate::recursive::types::NodeInput {
            kids: Some(Vec::new()),
            ..Default::default()
        };
        let body = crate::recursive::trees::Plant::new().tree(tree).json_body();
        assert_eq!(body, Some(serde_json::json!({"tree": {"kids": []}})));
    }

    #[test]
    fn a_subset_has_only_its_groups() {
        let operations =
            whm_runtime::__private::OperationInfo::all(crate::whm_subset::each_operation);
        let modules: Vec<&str> = operations
            .iter()
            .map(|o| o.operation.details.group)
            .collect();
        assert!(
            modules.iter().all(|m| *m == "accounts" || *m == "dns"),
            "{modules:?}"
        );
        assert!(operations.iter().any(|o| o.operation.name == "listaccts"));
        assert!(operations.iter().any(|o| o.operation.name == "adddns"));
    }

    #[test]
    fn details_alone_describe_each_function_and_without_them_none_is() {
        let described = |catalog: &[&whm_runtime::Operation]| {
            let adddns = catalog.iter().find(|o| o.name == "adddns").unwrap();
            let domain = adddns.details.params.iter().find(|p| p.name == "domain");
            (
                adddns.details.group,
                adddns.details.summary.is_empty(),
                domain.map(|p| p.presence),
            )
        };
        assert_eq!(
            described(crate::whm_details::CATALOG),
            (
                "dns",
                false,
                Some(whm_runtime::operation::Presence::Required)
            )
        );
        // The same operation goes on the wire the same way either way.
        let with = crate::whm_details::CATALOG
            .iter()
            .find(|o| o.name == "adddns");
        let without = crate::whm_wire_only::CATALOG
            .iter()
            .find(|o| o.name == "adddns");
        assert_eq!(with.map(|o| o.path), without.map(|o| o.path));
        assert_eq!(described(crate::whm_wire_only::CATALOG), ("", true, None));
        assert!(
            crate::whm_wire_only::CATALOG
                .iter()
                .all(|o| o.details.params.is_empty() && o.details.group.is_empty())
        );
    }

    #[tokio::test]
    async fn common_shapes_read_as_the_spec_says() {
        use crate::modern::types::{Server, State};
        let server = crate::modern::testing::FakeServer::start().await.unwrap();
        // The fake takes the first scheme, a bearer token.
        let client = server.client().unwrap();
        let servers = client
            .list_servers(crate::modern::servers::ListServers::new())
            .await
            .unwrap();
        assert_eq!(servers.len(), 2);
        assert_eq!(servers[0].state, State::Running);
        assert_eq!(servers[0].ip.as_deref(), Some("192.0.2.10"));
        assert_eq!(servers[0].cores, Some(4));
        // Members the spec does not require are absent, not zero.
        assert_eq!(servers[1].ip, None);
        assert_eq!(servers[1].cores, None);
        assert_eq!(servers[1].tags, None);
        assert!(server.requests()[0].authorized_by_header);

        // An enum value the spec does not list is kept as sent.
        let json = r#"{"id": 3, "name": "new", "state": "migrating", "cores": "8"}"#;
        let read: Server = serde_json::from_str(json).unwrap();
        assert_eq!(read.state, State::Other("migrating".to_owned()));
        assert_eq!(read.state.as_str(), "migrating");
        assert_eq!(read.cores, Some(8));
        assert_eq!(read.ip, None);
        // Whole numbers of the width their `format` says, as lenient as
        // any: a `uint64` beyond `i64`, one out of range kept as sent.
        let json = r#"{"id": 4, "name": "big", "state": "running",
            "cores": 2147483648, "disk": "18446744073709551615"}"#;
        let read: Server = serde_json::from_str(json).unwrap();
        let (cores, disk): (Option<i32>, Option<u64>) = (read.cores, read.disk);
        assert_eq!((cores, disk), (None, Some(u64::MAX)));
        assert_eq!(read.extra["cores"], serde_json::json!(2147483648_u64));

        // A key in a header instead of the token: the fake checks it too.
        let keyed: crate::modern::Client = whm_runtime::ClientBuilder::new(server.base_url())
            .api_key(whm_runtime::testing::credentials::KEY)
            .build()
            .unwrap();
        keyed
            .get_server(crate::modern::servers::GetServer::new(1))
            .await
            .unwrap();
        let wrong: crate::modern::Client = whm_runtime::ClientBuilder::new(server.base_url())
            .api_key("not-the-key")
            .build()
            .unwrap();
        let refused = wrong
            .get_server(crate::modern::servers::GetServer::new(1))
            .await;
        assert!(
            matches!(refused, Err(whm_runtime::Error::AccessDenied { .. })),
            "{refused:?}"
        );
    }

    /// Each request's method, path and query, in order.
    fn method_path_query(requests: &[whm_runtime::testing::Recorded]) -> Vec<(&str, &str, &str)> {
        requests
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str(), r.query.as_str()))
            .collect()
    }

    #[tokio::test]
    async fn path_parameters_go_in_the_path_one_segment_each() {
        use crate::modern::servers::{GetDisk, RemoveDisk};
        let server = crate::modern::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        let disk = client
            .get_disk(
                GetDisk::new(7, "sda")
                    .verbose(true)
                    .x_request_id("r-1")
                    .region("eu west; x=1"),
            )
            .await
            .unwrap();
        assert_eq!(disk.name.as_str(), "sda");
        assert_eq!(disk.size, 512_000_000_000);
        client.remove_disk(RemoveDisk::new(7, "sda")).await.unwrap();
        // A value that could climb out of its segment is sent as one
        // segment; one that is no segment at all is never sent.
        client
            .get_disk(GetDisk::new(7, "../../admin?x=1#y"))
            .await
            .unwrap();
        let e = client.get_disk(GetDisk::new(7, "..")).await.unwrap_err();
        assert!(matches!(e, whm_runtime::Error::Config(_)), "{e:?}");
        let requests = server.requests();
        let sent = method_path_query(&requests);
        assert_eq!(
            sent,
            [
                // OpenAPI's form style: a boolean is `true` or `false`.
                ("GET", "/v2/servers/7/disks/sda", "verbose=true"),
                ("DELETE", "/v2/servers/7/disks/sda", ""),
                ("GET", "/v2/servers/7/disks/..%2F..%2Fadmin%3Fx%3D1%23y", ""),
            ]
        );
        // Header and cookie parameters go in their places; a cookie's
        // value cannot end it or add another.
        let header = |name: &str| {
            requests[0]
                .headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("x-request-id"), Some("r-1"));
        assert_eq!(header("cookie"), Some("region=eu%20west%3B%20x%3D1"));
        assert_eq!(header("authorization"), None, "credentials are not kept");
        let e = client
            .get_disk(GetDisk::new(7, "sda").x_request_id("a\r\nInjected: 1"))
            .await
            .unwrap_err();
        assert!(matches!(e, whm_runtime::Error::Config(_)), "{e:?}");
        assert_eq!(server.requests().len(), 3, "a broken header is never sent");
    }

    #[tokio::test]
    async fn a_published_petstore_is_called_end_to_end() {
        use crate::swagger_petstore3::pet::{AddPet, FindPetsByStatus, GetPetById, Status};
        let server = crate::swagger_petstore3::testing::FakeServer::start()
            .await
            .unwrap();
        let client = server.client().unwrap();
        // A JSON body, as the schema says.
        let request = AddPet::new("doggie", ["https://img.example/1"])
            .id(10)
            .status(Status::Available);
        client.add_pet(request).await.unwrap();
        // A path parameter, and a query parameter in the form style.
        client.get_pet_by_id(GetPetById::new(10)).await.unwrap();
        client
            .find_pets_by_status(FindPetsByStatus::new().status(Status::Sold))
            .await
            .unwrap();
        // A 404 is an error that says so.
        let not_found = r#"{"code": 404, "message": "Pet not found"}"#;
        server.respond("getPetById", 404, "application/json", not_found);
        let e = client.get_pet_by_id(GetPetById::new(11)).await.unwrap_err();
        assert!(
            matches!(&e, whm_runtime::Error::Status { status: 404, .. }),
            "{e:?}"
        );
        let requests = server.requests();
        let sent = method_path_query(&requests);
        assert_eq!(
            sent,
            [
                ("POST", "/api/v3/pet", ""),
                ("GET", "/api/v3/pet/10", ""),
                ("GET", "/api/v3/pet/findByStatus", "status=sold"),
                ("GET", "/api/v3/pet/11", ""),
            ]
        );
        assert_eq!(requests[0].content_type, "application/json");
        let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "id": 10,
                "name": "doggie",
                "photoUrls": ["https://img.example/1"],
                "status": "available"
            })
        );
    }

    #[tokio::test]
    async fn a_union_is_read_as_the_alternative_its_tag_kind_or_members_say() {
        use crate::unions::pets::{GetLabels, GetPet, ListPets};
        use crate::unions::types::{Pet, Tree};
        use std::borrow::Cow;
        let server = crate::unions::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        // The tag after the members it decides; two values for one type.
        let pets = r#"[
            {"name": "Tom", "lives": "9", "petType": "cat"},
            {"petType": "puppy", "name": "Rex", "good": 1},
            {"petType": "parrot", "name": "Polly"},
            "not a pet"
        ]"#;
        server.respond("list_pets", 200, "application/json", pets);
        let pets = client.list_pets(ListPets::new()).await.unwrap();
        let [cat, dog, parrot, text] = &pets[..] else {
            panic!("{pets:?}")
        };
        // Each alternative decodes as leniently as any reply struct.
        assert!(
            matches!(cat, Pet::Cat(c) if c.name == "Tom" && c.lives == Some(9)),
            "{cat:?}"
        );
        assert!(
            matches!(dog, Pet::Dog(d) if d.name == "Rex" && d.good == Some(true)),
            "{dog:?}"
        );
        // An unknown tag, or no object at all, is kept as sent.
        let polly = serde_json::json!({"petType": "parrot", "name": "Polly"});
        assert_eq!(parrot, &Pet::Other(polly));
        assert_eq!(text, &Pet::Other(serde_json::json!("not a pet")));
        // Borrowed text too.
        server.respond(
            "get_pet",
            200,
            "application/json",
            r#"{"petType": "cat", "name": "Tom"}"#,
        );
        let received = client.get_pet(GetPet::new(1)).receive().await.unwrap();
        let reply = received.reply().unwrap();
        assert!(
            matches!(&reply.data, Pet::Cat(c) if c.name == Cow::Borrowed("Tom")),
            "{:?}",
            reply.data
        );
        // By kind, then by the members each alternative requires (most
        // first), `null` as none, a tree that holds trees.
        let labels = r#"{"labels": ["new", 3, {"text": "see", "href": "/x"}, {"text": "old"}, null, 2.5],
            "tree": {"children": ["a", {"children": ["b"]}]}}"#;
        server.respond("get_labels", 200, "application/json", labels);
        let data = client.get_labels(GetLabels::new()).await.unwrap();
        use crate::unions::pets::GetLabelsLabels as L;
        let shapes: Vec<String> = data
            .labels
            .iter()
            .map(|label| match label {
                Some(L::String(s)) => format!("string {s}"),
                Some(L::Integer(n)) => format!("integer {n}"),
                Some(L::Link(link)) => format!("link {} {}", link.text, link.href),
                Some(L::Note(note)) => format!("note {}", note.text),
                Some(L::Other(value)) => format!("other {value}"),
                None => "none".to_owned(),
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "string new",
                "integer 3",
                "link see /x",
                "note old",
                "none",
                "other 2.5"
            ]
        );
        let Tree::Branch(root) = &data.tree else {
            panic!("{:?}", data.tree)
        };
        assert_eq!(root.children[0], Tree::String("a".to_owned()));
        assert!(
            matches!(&root.children[1], Tree::Branch(b) if b.children == [Tree::String("b".into())])
        );
    }

    #[tokio::test]
    async fn a_union_is_sent_as_its_alternative_with_its_tag() {
        use crate::unions::pets::AddPet;
        use crate::unions::types::{CatInput, DogInput, PetInput};
        let server = crate::unions::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        client
            .add_pet(AddPet::new(CatInput::new("cat", "Tom").into()))
            .await
            .unwrap();
        // The tag is the variant's, whatever its member was set to.
        let mut dog = DogInput::new("", "Rex");
        dog.good = Some(true);
        client
            .add_pet(AddPet::new(PetInput::from(dog)))
            .await
            .unwrap();
        let bodies: Vec<serde_json::Value> = server
            .requests()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                serde_json::json!({"petType": "cat", "name": "Tom"}),
                serde_json::json!({"petType": "dog", "name": "Rex", "good": true}),
            ]
        );
    }

    #[tokio::test]
    async fn a_json_body_sends_what_it_was_given_empty_lists_too() {
        use crate::swagger_petstore3::pet::AddPet;
        use crate::swagger_petstore3::types::TagInput;
        let server = crate::swagger_petstore3::testing::FakeServer::start()
            .await
            .unwrap();
        let client = server.client().unwrap();
        // A required list, empty, is sent: the server requires the member.
        client
            .add_pet(AddPet::new("doggie", Vec::<String>::new()))
            .await
            .unwrap();
        // An optional list set empty is sent; one not set is not.
        let request = AddPet::new("rex", ["https://img.example/2"]).tags(Vec::<TagInput>::new());
        client.add_pet(request).await.unwrap();
        let bodies: Vec<serde_json::Value> = server
            .requests()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                serde_json::json!({"name": "doggie", "photoUrls": []}),
                serde_json::json!({"name": "rex", "photoUrls": ["https://img.example/2"], "tags": []}),
            ]
        );
    }

    #[tokio::test]
    async fn a_body_of_bytes_is_sent_as_its_media_type() {
        use crate::swagger_petstore3::pet::UploadFile;
        let server = crate::swagger_petstore3::testing::FakeServer::start()
            .await
            .unwrap();
        let client = server.client().unwrap();
        // Not UTF-8, and with what a form or a query would have to escape.
        let image: &[u8] = b"\x89PNG\r\n\x1a\n\x00&a=b";
        let request = UploadFile::new(10).additional_metadata("a b").body(image);
        client.upload_file(request).await.unwrap();
        let requests = server.requests();
        assert_eq!(
            method_path_query(&requests),
            [(
                "POST",
                "/api/v3/pet/10/uploadImage",
                "additionalMetadata=a+b"
            )]
        );
        assert_eq!(requests[0].content_type, "application/octet-stream");
        assert_eq!(requests[0].body, image, "the bytes as given");
        // Without a body, none is sent.
        client.upload_file(UploadFile::new(11)).await.unwrap();
        let requests = server.requests();
        assert!(requests[1].body.is_empty());
        assert_eq!(requests[1].content_type, "");
    }

    #[tokio::test]
    async fn lists_and_maps_go_in_their_parameter_styles() {
        use crate::modern::servers::{
            SearchServers, SearchServersCreated, SearchServersRgb, SearchServersShape,
        };
        let server = crate::modern::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        let mut shape = SearchServersShape::default();
        (shape.public, shape.zones) = (Some(true), Some(vec!["eu".into(), "us".into()]));
        let request = SearchServers::new()
            .ids([1, 2, 3])
            .states(["running", "stopped"])
            .names(["a", "b"])
            .limit(10_i32)
            .shape(shape)
            .rgb(SearchServersRgb {
                r: Some(255),
                g: Some(0),
            })
            .created(SearchServersCreated::new("2026-01-01"))
            .label("rack", "r 1")
            .x_trace_ids(["t1", "t2"]);
        client.search_servers(request).await.unwrap();
        // Nothing given, nothing sent.
        client.search_servers(SearchServers::new()).await.unwrap();
        let requests = server.requests();
        assert_eq!(
            method_path_query(&requests),
            [
                (
                    "GET",
                    "/v2/servers/search",
                    "ids=1%2C2%2C3&states=running%7Cstopped&names=a&names=b&limit=10\
                     &public=true&zones=eu&zones=us&rgb=r%2C255%2Cg%2C0\
                     &created%5Bfrom%5D=2026-01-01\
                     &label%5Brack%5D=r+1"
                ),
                ("GET", "/v2/servers/search", ""),
            ]
        );
        let trace = requests[0].headers.iter().find(|(n, _)| n == "x-trace-ids");
        assert_eq!(trace.map(|(_, v)| v.as_str()), Some("t1,t2"));
    }

    #[tokio::test]
    async fn the_fake_server_takes_required_parameters_sent_in_headers_and_bodies() {
        use crate::modern::servers::PutNotes;
        let server = crate::modern::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        client
            .put_notes(PutNotes::new(7, "v1", "racked in row 3"))
            .await
            .unwrap();
        let requests = server.requests();
        assert_eq!(requests[0].content_type, "text/plain");
        assert_eq!(requests[0].body, b"racked in row 3");
        let version = requests[0].headers.iter().find(|(n, _)| n == "if-match");
        assert_eq!(version.map(|(_, v)| v.as_str()), Some("v1"));
        // A call by name sends neither: refused, with an error status,
        // as an API without a success flag refuses.
        let e = client.call("put_notes", &[("id", "7")]).await.unwrap_err();
        assert!(
            matches!(&e, whm_runtime::Error::Status { status: 400, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("If-Match"), "{e}");
    }

    #[tokio::test]
    async fn replies_of_text_and_bytes_are_their_payload() {
        use crate::modern::servers::{GetConsole, GetScreenshot};
        let server = crate::modern::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        // The documented text, as the fake server serves it.
        let console: String = client.get_console(GetConsole::new(7)).await.unwrap();
        assert_eq!(console, "login: ");
        let requests = server.requests();
        let header = |name: &str| {
            let found = requests[0].headers.iter().find(|(n, _)| n == name);
            found.map(|(_, v)| v.clone())
        };
        assert_eq!(header("accept").as_deref(), Some("*/*"), "not only JSON");
        // Text that looks like JSON is still text.
        server.respond("get_console", 200, "text/plain", "{\"not\": \"json\"}");
        let console = client.get_console(GetConsole::new(7)).await.unwrap();
        assert_eq!(console, "{\"not\": \"json\"}");
        // Bytes as they came, not UTF-8 and all, on every way of reading.
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\xff\xfe";
        server.respond("get_screenshot", 200, "image/png", png);
        let screen: Vec<u8> = client.get_screenshot(GetScreenshot::new(7)).await.unwrap();
        assert_eq!(screen, png);
        let received = client
            .get_screenshot(GetScreenshot::new(7))
            .receive()
            .await
            .unwrap();
        assert_eq!(received.reply().unwrap().data, png);
        assert_eq!(received.reply_owned().unwrap().data, png);
        // An error status is still an error, whatever the media.
        server.respond("get_screenshot", 404, "text/html", "<p>no such server</p>");
        let e = client
            .get_screenshot(GetScreenshot::new(8))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, whm_runtime::Error::NotJson { status: 404, .. }),
            "{e:?}"
        );
    }

    #[tokio::test]
    async fn an_error_status_reply_is_read_as_the_spec_types_it() {
        use crate::oai_petstore::pets::ShowPetById;
        use crate::oai_petstore::types::Error;
        let server = crate::oai_petstore::testing::FakeServer::start()
            .await
            .unwrap();
        let client = server.client().unwrap();
        // The spec's `default` response: the API's error object.
        let not_found = r#"{"code": 404, "message": "no pet 7", "trace": "t-1"}"#;
        server.respond("showPetById", 404, "application/json", not_found);
        let e = client
            .show_pet_by_id(ShowPetById::new("7"))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, whm_runtime::Error::Status { status: 404, .. }),
            "{e:?}"
        );
        let body = e.failure::<Error>().expect("the error object, typed");
        assert_eq!((body.code, body.message.as_str()), (404, "no pet 7"));
        assert_eq!(
            body.extra["trace"], "t-1",
            "members it does not name are kept"
        );
        assert!(
            e.failure::<serde_json::Value>().is_none(),
            "only as its type"
        );
        assert!(format!("{e:?}").contains("no pet 7"), "{e:?}");
        // A 5xx from a proxy is no error object: the status and what came.
        server.respond("showPetById", 502, "application/json", "[\"bad gateway\"]");
        let e = client
            .show_pet_by_id(ShowPetById::new("7"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                &e,
                whm_runtime::Error::Status {
                    status: 502,
                    body: None,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains("bad gateway"), "{e}");
        // Success is not read as a failure.
        server.respond(
            "showPetById",
            200,
            "application/json",
            r#"{"id": 7, "name": "rex"}"#,
        );
        let pet = client.show_pet_by_id(ShowPetById::new("7")).await.unwrap();
        assert_eq!(pet.name, "rex");
    }

    #[tokio::test]
    async fn fixture_fakes_answer_every_example_call() {
        let server = crate::params::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        for example in ExampleCall::all(crate::params::testing::each_example) {
            (example.call)(&client)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", example.operation.name));
        }
        let server = crate::bodies::testing::FakeServer::start().await.unwrap();
        let client = server.client().unwrap();
        for example in ExampleCall::all(crate::bodies::testing::each_example) {
            (example.call)(&client)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", example.operation.name));
        }
        // The API key goes first; JSON bodies go as JSON.
        let requests = server.requests();
        let json = requests
            .iter()
            .find(|r| r.path.ends_with("add_records.json"))
            .unwrap();
        assert_eq!(json.content_type, "application/json");
        assert_eq!(json.query, "apikey=fake-api-key");
        let form = requests
            .iter()
            .find(|r| r.path.ends_with("purge_cache.json"))
            .unwrap();
        assert!(String::from_utf8_lossy(&form.body).starts_with("apikey=fake-api-key&client_id="));
    }
}
