//! `core::ids`.

use crate::core::error::ErrorKind;
use crate::core::ids::*;
#[allow(unused_imports)]
use crate::*;

#[test]
fn accepts_the_ids_the_graph_uses() {
    for id in [
        "104620945892041",
        "t_10161235782345",
        "m_mid.46348462:357234723feb",
        "m_AbC-dEf_123",
        "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0MDAwMDAwMDAwMToz",
        "aWdfZAGE=",
        "error-613",
    ] {
        assert_eq!(MessageId::new(id).unwrap().as_str(), id);
    }
}

#[test]
fn refuses_what_could_change_the_path_or_query() {
    for bad in [
        "", "a/b", "a?b", "a#b", "a&b", "..", "a..b", "a b", " a", "a\tb", "a\nb", "a\u{0}b", "a%2Fb", "a\\b", "é",
        "a\u{7f}",
    ] {
        let err = PageId::new(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        assert!(err.to_string().starts_with("invalid page id: "), "{err}");
    }
    assert!(PageId::new("1".repeat(MAX_ID_LEN + 1)).is_err());
    assert!(PageId::new("1".repeat(MAX_ID_LEN)).is_ok());
}

#[test]
fn the_message_does_not_repeat_the_value() {
    let pasted_token = "EAAGsecretTOKEN value";
    let err = ConversationId::new(pasted_token).unwrap_err();
    assert!(!err.to_string().contains("EAAG"), "{err}");
    assert!(err.to_string().contains("position 15"), "{err}");
}
