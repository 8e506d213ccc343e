use super::is_media_type;
use super::samples::{command_end, command_words};

#[test]
fn media_types() {
    for good in [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain; charset=utf-8",
    ] {
        assert!(is_media_type(good), "{good}");
    }
    let long = format!("application/{}", "x".repeat(128));
    for bad in [
        "",
        "json",
        "application/",
        "/json",
        "a b/c",
        "text/pl@in",
        long.as_str(),
    ] {
        assert!(!is_media_type(bad), "{bad}");
    }
}

#[test]
fn command_words_follow_shell_quoting() {
    assert_eq!(
        command_words("whmapi1 --output=jsonpretty f a='x y' b=\"q\\\"r\" c=plain"),
        [
            "whmapi1",
            "--output=jsonpretty",
            "f",
            "a=x y",
            "b=q\"r",
            "c=plain"
        ]
    );
    assert_eq!(
        command_words("whmapi1 f uid or gid='1012'"),
        ["whmapi1", "f", "uid or gid=1012"]
    );
    assert_eq!(
        command_words("whmapi1 \\\n  f \\\n  a='1'"),
        ["whmapi1", "f", "a=1"]
    );
}

#[test]
fn commands_continue_over_open_quotes() {
    let lines = [
        "whmapi1 \\",
        "  f \\",
        "  content=$'[PHP]",
        "; it\\'s",
        "' \\",
        "  v='1'",
        "next",
    ];
    assert_eq!(command_end(&lines, 0), Some(5));
    assert_eq!(command_end(&lines[..4], 0), None, "a quote left open");
    assert_eq!(command_end(&lines[..2], 0), None, "a `\\` at the end");
    let words = command_words(&lines[..6].join("\n"));
    assert_eq!(words[2], "content=[PHP]\n; it's\n");
}
