//! `core::page`.

use crate::core::page::*;
#[allow(unused_imports)]
use crate::*;
use serde_json::json;

#[test]
fn accepts_graph_lists_and_names_the_odd_place() {
    let ok =
        json!({"data": [{"id": "t_1", "messages": {"data": [{"id": "m_1"}], "paging": {"cursors": {"after": "A"}}}}]});
    assert!(check_page(&ok, Node::Conversation, Some(200)).is_ok());
    let no_paging = json!({"data": []});
    assert!(check_page(&no_paging, Node::Conversation, None).is_ok());
    // A null member reads as absent (`Json::get`), a null item as no object.
    let nulls = json!({"data": [{"id": "t_1", "messages": null}], "paging": null});
    assert!(check_page(&nulls, Node::Conversation, None).is_ok());
    assert_eq!(next_cursor(&nulls).unwrap(), None);
    let cases = [
        (json!([]), "the body is not an object"),
        (json!({"data": 5}), "data is not an array"),
        (json!({}), "data is missing"),
        (json!({"data": null}), "data is missing"),
        (json!({"data": [{"id": "1"}, null]}), "data[1] is not an object"),
        (json!({"data": [{"id": "1"}, {"id": 2}]}), "data[1].id is missing or not a string"),
        (json!({"data": [{"id": "1", "messages": {"data": [null]}}]}), "data[0].messages.data[0] is not an object"),
        (json!({"data": [], "paging": {"cursors": {"after": 1}}}), "paging.cursors.after is not a string"),
    ];
    for (body, why) in cases {
        let err = check_page(&body, Node::Conversation, Some(200)).unwrap_err();
        assert_eq!(err, Error::decode(Some(200), why));
    }
}

#[test]
fn odd_fields_pass() {
    let odd = json!({"data": [{"id": "m_1", "message": null, "shares": {"data": [{"link": null}]}, "new_field": [1]}]});
    assert!(check_page(&odd, Node::Message, None).is_ok());
}

#[test]
fn next_cursor_needs_next_and_after() {
    let more =
        json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": "A"}, "next": "https://x?access_token=T"}});
    assert_eq!(next_cursor(&more).unwrap().as_deref(), Some("A"));
    let last = json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": "A"}}});
    assert_eq!(next_cursor(&last).unwrap(), None);
    assert_eq!(next_cursor(&json!({"data": [{"id": "1"}]})).unwrap(), None);
    let empty = json!({"data": [], "paging": {"cursors": {"after": "A"}, "next": "n"}});
    assert_eq!(next_cursor(&empty).unwrap(), None);
    let null_after = json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": null}}});
    assert!(check_page(&null_after, Node::Message, None).is_ok(), "a null cursor is not an odd page");
    assert_eq!(next_cursor(&null_after).unwrap(), None);
    let no_after = json!({"data": [{"id": "1"}], "paging": {"next": "https://x"}});
    assert_eq!(next_cursor(&no_after).unwrap_err().kind(), crate::core::error::ErrorKind::Decode);
}

#[test]
fn walk_stops_at_the_end_and_on_a_repeated_cursor() {
    let mut walk = CursorWalk::starting_at(None);
    walk.advance(Some("A".into())).unwrap();
    assert_eq!(walk.after(), Some("A"));
    walk.advance(Some("B".into())).unwrap();
    assert!(walk.advance(Some("A".into())).is_err());
    assert!(walk.done());
    let mut walk = CursorWalk::starting_at(Some("S".into()));
    assert!(walk.advance(Some("S".into())).is_err());
    let mut walk = CursorWalk::default();
    walk.advance(None).unwrap();
    assert!(walk.done());
}
