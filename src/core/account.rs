//! Which participants of an inbox are the inbox's own account, not a
//! customer. On Messenger that is the Page. On Instagram the business's
//! Instagram account takes part in every thread under an id of its own,
//! which the Page id does not reveal: it is the one participant that every
//! thread has.

use crate::prelude::*;

use super::json::{str_member, Json};

/// The ids of the account an inbox belongs to: `account_id` (the Page, or
/// `me`), and the participant present in every one of `conversations`
/// when there are two or more of them (one thread alone cannot tell the
/// business from the customer).
pub fn own_ids<J: Json, C: alloc::borrow::Borrow<J>>(account_id: &str, conversations: &[C]) -> Vec<String> {
    own_ids_with::<J, C>(&[account_id], conversations)
}

/// [`own_ids`] with every id already known to be the account's. The
/// participant every thread has is added only when it is the one such
/// participant besides the known ids, and no known id is in every thread
/// already (then the account is there under a known id, as a Page is on
/// Messenger, and a person in every thread — one customer's threads in two
/// folders — is a customer).
pub fn own_ids_with<J: Json, C: alloc::borrow::Borrow<J>>(known: &[&str], conversations: &[C]) -> Vec<String> {
    own_ids_of(known, conversations.len(), &mut |i| {
        conversations.get(i).map_or_else(Vec::new, |c| participants(c.borrow()))
    })
}

/// [`own_ids_with`] of `count` conversations whose participant ids
/// `participants_of` gives by index, read one by one as needed: one copy of
/// the logic for every kind of JSON instead of one per [`Json`] type.
fn own_ids_of(known: &[&str], count: usize, participants_of: &mut dyn FnMut(usize) -> Vec<String>) -> Vec<String> {
    let mut ids = Vec::new();
    for id in known {
        if !id.is_empty() {
            ids.push((*id).to_owned());
        }
    }
    if count < 2 {
        return ids;
    }
    let mut common = participants_of(0);
    for i in 1..count {
        let here = participants_of(i);
        common.retain(|id| here.contains(id));
        if common.is_empty() {
            break;
        }
    }
    if common.iter().any(|id| known.contains(&id.as_str())) {
        return ids;
    }
    if let [only] = common.as_slice() {
        ids.push(only.clone());
    }
    ids
}

/// The ids of a conversation's `participants.data`. A loop, not
/// `filter_map(…).collect()`: each collect shape is its own wasm code.
fn participants<J: Json>(conversation: &J) -> Vec<String> {
    let mut ids = Vec::new();
    let Some(data) = conversation.get("participants").and_then(|p| p.get("data")) else { return ids };
    for i in 0..data.array_len().unwrap_or(0) {
        if let Some(id) = data.at(i).and_then(|p| str_member(&p, "id")) {
            ids.push(id);
        }
    }
    ids
}
