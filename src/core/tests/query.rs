//! `core::query`.

use crate::core::query::*;
#[allow(unused_imports)]
use crate::*;

#[test]
fn platform_and_folder_read_the_graphs_values() {
    assert_eq!(Platform::parse("instagram").unwrap(), Platform::Instagram);
    assert_eq!(Platform::parse("MESSENGER").unwrap(), Platform::Messenger);
    assert!(Platform::parse("whatsapp").is_err());
    assert_eq!(Folder::parse("page_done").unwrap().as_str(), "page_done");
    assert!(Folder::parse("archive").is_err());
}

#[test]
fn fields_accept_lists_and_expansions() {
    let list = Fields::List(vec!["id".into(), "message".into(), "attachments{image_data}".into()]);
    assert_eq!(list.to_param().unwrap(), "id,message,attachments{image_data}");
    let nested = Fields::Expansion("id, messages.limit(20){id,message,from}, participants".into());
    assert_eq!(nested.to_param().unwrap(), "id,messages.limit(20){id,message,from},participants");
    let cursor = Fields::Expansion("messages.limit(5).after(QVFIU-_x=){id}".into());
    assert!(cursor.to_param().is_ok());
}

#[test]
fn fields_refuse_what_the_graph_would_reject_or_misread() {
    for bad in [
        "",
        "id,,message",
        ",id",
        "id,",
        "messages{id",
        "messages{id}}",
        "a(b}",
        "id&access_token=x",
        "id#x",
        "id/x",
        "{id}",
    ] {
        let err = Fields::Expansion(bad.into()).to_param().unwrap_err();
        assert!(err.to_string().starts_with("invalid fields: "), "{bad:?}: {err}");
    }
    assert!(Fields::List(vec![]).to_param().is_err());
    assert!(Fields::List(vec!["".into()]).to_param().is_err());
}

#[test]
fn limits_and_cursors_are_checked() {
    assert!(check_limit(0).is_err());
    assert_eq!(check_limit(25).unwrap(), 25);
    assert!(check_limit(501).is_err());
    assert!(check_cursor("after", "QVFIUmxfZA2").is_ok());
    assert!(check_cursor("after", "").is_err());
    assert!(check_cursor("after", "a b").is_err());
}

#[test]
fn long_values_are_not_echoed_whole() {
    let err = Platform::parse("EAAGsecret-token-pasted-here").unwrap_err();
    assert!(!err.to_string().contains("pasted-here"), "{err}");
}

#[test]
fn quoted_words_read_as_debug_writes_them() {
    use crate::core::quoted::{quoted, quoted_char};
    for text in ["spam", "", "a\"b", "a\\b", "tab\there", "line\nbreak", "nul\0", "bell\u{7}", "del\u{7f}", "é ✓", "'"]
    {
        assert_eq!(quoted(text), format!("{text:?}"), "{text}");
    }
    for c in ['/', '?', '\'', '"', '\\', '\n', 'é', '{'] {
        assert_eq!(quoted_char(c), format!("{c:?}"), "{c}");
    }
}
