//! `core::account`: telling the inbox's own account from its customers.

use crate::core::account::own_ids;
use serde_json::{json, Value};

fn thread(ids: &[&str]) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id, "username": format!("u{id}")})).collect();
    json!({"id": format!("t_{}", ids.join("_")), "participants": {"data": data}})
}

#[test]
fn the_instagram_account_is_the_participant_of_every_thread() {
    let threads = [thread(&["17841400000000001", "6234"]), thread(&["5120", "17841400000000001"])];
    assert_eq!(own_ids::<Value, _>("104620945892041", &threads), ["104620945892041", "17841400000000001"]);
}

#[test]
fn one_thread_cannot_tell_and_messenger_needs_only_the_page() {
    assert_eq!(own_ids::<Value, _>("1046", &[thread(&["1789", "6234"])]), ["1046"]);
    let messenger = [thread(&["1046", "6234"]), thread(&["5120", "1046"])];
    assert_eq!(own_ids::<Value, _>("1046", &messenger), ["1046"], "the Page is named once");
    assert_eq!(
        own_ids::<Value, _>("1046", &[thread(&["a", "b"]), json!({"id": "t_2"})]),
        ["1046"],
        "a thread without participants"
    );
}

#[test]
fn one_persons_threads_in_two_folders_do_not_make_them_the_account() {
    // Messenger: the Page is in every thread, so the person in both is a customer.
    let both = [thread(&["1046", "6234"]), thread(&["6234", "1046"])];
    assert_eq!(own_ids::<Value, _>("1046", &both), ["1046"]);
    // Instagram through a Page: two people in every thread cannot be told apart.
    let ambiguous = [thread(&["1789", "6234"]), thread(&["6234", "1789"])];
    assert_eq!(own_ids::<Value, _>("1046", &ambiguous), ["1046"]);
}
