use std::collections::BTreeSet;

use super::members::below_any;
use super::*;

#[test]
fn versions_below_one_bump_minor_for_breaking_changes() {
    assert_eq!(next_version("0.3.1", Some(Bump::Major)).unwrap(), "0.4.0");
    assert_eq!(next_version("0.3.1", Some(Bump::Minor)).unwrap(), "0.3.2");
    assert_eq!(next_version("0.3.1", Some(Bump::Patch)).unwrap(), "0.3.2");
    assert_eq!(next_version("1.3.1", Some(Bump::Major)).unwrap(), "2.0.0");
    assert_eq!(next_version("1.3.1", Some(Bump::Minor)).unwrap(), "1.4.0");
    assert_eq!(next_version("1.3.1", Some(Bump::Patch)).unwrap(), "1.3.2");
    assert_eq!(next_version("1.3.1", None).unwrap(), "1.3.1");
    for bad in ["1.3", "1.3.1-rc.1", "v1.0.0", ""] {
        assert!(next_version(bad, Some(Bump::Patch)).is_err(), "{bad}");
    }
}

#[test]
fn paths_below_others() {
    let parents: BTreeSet<&str> = ["acct", "limits"].into();
    assert!(below_any("acct[].user", &parents));
    assert!(below_any("acct.user", &parents));
    assert!(below_any("limits{}.disk", &parents));
    assert!(!below_any("acct", &parents));
    assert!(!below_any("accts.user", &parents));
    assert!(!below_any("user", &BTreeSet::from([""])));
}
