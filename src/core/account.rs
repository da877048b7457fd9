//! Which participants of an inbox are the inbox's own account, not a
//! customer. On Messenger that is the Page. On Instagram the business's
//! Instagram account takes part in every thread under an id of its own,
//! which the Page id does not reveal: it is the one participant that every
//! thread has.

use std::collections::HashSet;

use super::json::{str_member, Json};

/// The ids of the account an inbox belongs to: `account_id` (the Page, or
/// `me`), and the participant present in every one of `conversations`
/// when there are two or more of them (one thread alone cannot tell the
/// business from the customer).
pub fn own_ids<J: Json, C: std::borrow::Borrow<J>>(account_id: &str, conversations: &[C]) -> Vec<String> {
    let mut ids = vec![account_id.to_owned()];
    if conversations.len() < 2 {
        return ids;
    }
    let participants = |conversation: &J| -> Vec<String> {
        let Some(data) = conversation.get("participants").and_then(|p| p.get("data")) else { return Vec::new() };
        (0..data.array_len().unwrap_or(0)).filter_map(|i| data.at(i)).filter_map(|p| str_member(&p, "id")).collect()
    };
    let mut common: Vec<String> = participants(conversations[0].borrow());
    for conversation in &conversations[1..] {
        let here: HashSet<String> = participants(conversation.borrow()).into_iter().collect();
        common.retain(|id| here.contains(id));
        if common.is_empty() {
            break;
        }
    }
    ids.extend(common.into_iter().filter(|id| id != account_id));
    ids
}
