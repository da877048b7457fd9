//! `core::sync`: the inbox-sync planner, answer by answer.

use crate::core::query::Platform;
use crate::core::sync::{FollowUp, SyncCall, SyncOptions, SyncPlan};
use crate::{ErrorKind, PageId};
use serde_json::{json, Value};

const PAGE: &str = "104620945892041";

fn plan(options: SyncOptions, cursor: Option<&str>) -> SyncPlan {
    SyncPlan::new(PageId::new(PAGE).unwrap(), options, cursor).unwrap()
}

fn messages(thread: &str, n: usize, next: Option<&str>) -> Value {
    let data: Vec<Value> =
        (0..n).map(|i| json!({"id": format!("m_{thread}_{i}"), "created_time": "2026-01-01T00:00:00+0000"})).collect();
    match next {
        Some(after) => json!({"data": data, "paging": {"cursors": {"after": after}, "next": "https://graph/next"}}),
        None => json!({"data": data}),
    }
}

fn conversation(id: &str, updated: &str, nested: Value) -> Value {
    json!({"id": id, "updated_time": updated, "messages": nested})
}

fn page(conversations: Vec<Value>, next: Option<&str>) -> Value {
    match next {
        Some(after) => {
            json!({"data": conversations, "paging": {"cursors": {"after": after}, "next": "https://graph/next"}})
        }
        None => json!({"data": conversations}),
    }
}

fn url(plan: &SyncPlan, call: &SyncCall) -> String {
    plan.request(call).unwrap().relative_url()
}

#[test]
fn one_call_per_page_of_conversations_with_their_messages_expanded() {
    let options = SyncOptions {
        platform: Some(Platform::Instagram),
        page_size: 2,
        messages_per_conversation: 3,
        ..Default::default()
    };
    let mut plan = plan(options, None);
    let (id, call) = plan.next_call().unwrap();
    assert_eq!(call, SyncCall::Conversations { after: None });
    let url = url(&plan, &call);
    assert!(url.starts_with(&format!("{PAGE}/conversations?platform=instagram&fields=id,updated_time,participants,messages.limit%283%29%7Bid,created_time,from,")), "{url}");
    assert!(url.ends_with("&limit=2"), "{url}");
    assert!(plan.next_call().is_none(), "the next page waits for this one's cursor");

    let answer = page(
        vec![
            conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 3, Some("m1"))),
            conversation("t_2", "2026-01-01T00:00:00+0000", messages("2", 1, None)),
        ],
        Some("P2"),
    );
    let (threads, error) = plan.answered(id, &answer);
    assert!(error.is_none());
    assert_eq!(threads.iter().map(|t| (t.id.as_str(), t.messages.len())).collect::<Vec<_>>(), [("t_1", 3), ("t_2", 1)]);
    assert!(threads[0].conversation.is_some());

    let (id, call) = plan.next_call().unwrap();
    assert_eq!(call, SyncCall::Conversations { after: Some("P2".into()) });
    let (threads, error) = plan.answered(id, &page(vec![], None));
    assert!(threads.is_empty() && error.is_none());
    assert!(plan.next_call().is_none());
    assert!(plan.finished());
    assert_eq!(plan.cursor(), None);
    assert_eq!(plan.calls(), 2);
}

#[test]
fn a_thread_cut_short_is_read_on_from_its_messages_edge() {
    let mut plan = plan(SyncOptions { messages_per_conversation: 50, ..Default::default() }, None);
    let (id, _) = plan.next_call().unwrap();
    let answer = page(vec![conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 25, Some("M25")))], None);
    plan.answered(id, &answer);
    let (id, call) = plan.next_call().unwrap();
    assert_eq!(call, SyncCall::Messages(FollowUp { conversation: "t_1".into(), after: "M25".into(), remaining: 25 }));
    let url = url(&plan, &call);
    assert!(url.starts_with("t_1/messages?fields=id,created_time,"), "{url}");
    assert!(url.ends_with("&limit=25&after=M25"), "{url}");
    let (threads, _) = plan.answered(id, &messages("1b", 25, Some("M50")));
    assert_eq!(threads.len(), 1);
    assert!(threads[0].conversation.is_none());
    assert_eq!(threads[0].messages.len(), 25);
    assert!(plan.finished(), "50 read: the next cursor is not followed");
}

#[test]
fn a_thread_with_all_its_messages_or_an_empty_page_is_not_followed() {
    let mut plan = plan(SyncOptions { messages_per_conversation: 10, ..Default::default() }, None);
    let (id, _) = plan.next_call().unwrap();
    let answer = page(
        vec![
            conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 10, Some("x"))),
            conversation("t_2", "2026-01-02T00:00:00+0000", messages("2", 0, Some("y"))),
        ],
        None,
    );
    plan.answered(id, &answer);
    assert!(plan.next_call().is_none());
    assert!(plan.finished());
}

#[test]
fn updated_since_stops_at_the_first_older_conversation() {
    let since = crate::core::time::unix_seconds("2026-01-02T00:00:00Z");
    let mut plan = plan(SyncOptions { updated_since: since, ..Default::default() }, None);
    let (id, _) = plan.next_call().unwrap();
    let answer = page(
        vec![
            conversation("t_new", "2026-01-03T00:00:00+0000", messages("1", 1, None)),
            conversation("t_old", "2026-01-01T00:00:00+0000", messages("2", 1, None)),
            conversation("t_new_again", "2026-01-05T00:00:00+0000", messages("3", 1, None)),
        ],
        Some("P2"),
    );
    let (threads, _) = plan.answered(id, &answer);
    assert_eq!(threads.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t_new"]);
    assert!(plan.next_call().is_none(), "no further page is asked for");
    assert!(plan.finished());
}

#[test]
fn a_repeated_cursor_keeps_the_page_and_ends_with_an_error() {
    let mut plan = plan(SyncOptions::default(), None);
    let (id, _) = plan.next_call().unwrap();
    plan.answered(
        id,
        &page(vec![conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 1, None))], Some("SAME")),
    );
    let (id, _) = plan.next_call().unwrap();
    let (threads, error) = plan.answered(
        id,
        &page(vec![conversation("t_2", "2026-01-02T00:00:00+0000", messages("2", 1, None))], Some("SAME")),
    );
    assert_eq!(threads.len(), 1, "the page is kept");
    assert_eq!(error.unwrap().kind(), ErrorKind::Decode);
    assert!(plan.next_call().is_none());
}

#[test]
fn the_cursor_holds_the_work_left_and_a_new_plan_goes_on_from_it() {
    let options = SyncOptions { messages_per_conversation: 30, page_size: 1, ..Default::default() };
    let mut first = plan(options.clone(), None);
    let (id, _) = first.next_call().unwrap();
    first.answered(
        id,
        &page(vec![conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 25, Some("M25")))], Some("P/2+=")),
    );
    // Page 2 and t_1's follow-up are both under way when the sync stops.
    let calls: Vec<_> = std::iter::from_fn(|| first.next_call()).collect();
    assert_eq!(calls.len(), 2);
    let cursor = first.cursor().expect("work is left");
    assert!(cursor.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{cursor}");

    let mut resumed = plan(options.clone(), Some(&cursor));
    let again: Vec<_> = std::iter::from_fn(|| resumed.next_call()).map(|(_, call)| call).collect();
    assert_eq!(again, calls.into_iter().map(|(_, call)| call).collect::<Vec<_>>(), "the same calls, nothing more");

    let other_page = SyncPlan::new(PageId::new("999").unwrap(), options.clone(), Some(&cursor)).unwrap_err();
    assert_eq!(other_page.kind(), ErrorKind::InvalidArgument);
    let other_platform = SyncOptions { platform: Some(Platform::Instagram), ..options.clone() };
    assert!(SyncPlan::new(PageId::new(PAGE).unwrap(), other_platform, Some(&cursor)).is_err());
    for garbage in ["", "x", "!!!!", "djE", &cursor[..cursor.len() - 3]] {
        let err = SyncPlan::new(PageId::new(PAGE).unwrap(), options.clone(), Some(garbage)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{garbage:?}");
    }
}

#[test]
fn a_failed_call_goes_back_into_the_cursor() {
    let mut plan1 = plan(SyncOptions::default(), None);
    let (id, _) = plan1.next_call().unwrap();
    plan1.failed(id);
    assert!(!plan1.finished());
    let cursor = plan1.cursor().unwrap();
    let mut resumed = plan(SyncOptions::default(), Some(&cursor));
    assert_eq!(resumed.next_call().unwrap().1, SyncCall::Conversations { after: None });
}

#[test]
fn max_requests_stops_the_calls() {
    let mut plan = plan(SyncOptions { max_requests: Some(1), ..Default::default() }, None);
    let (id, _) = plan.next_call().unwrap();
    plan.answered(id, &page(vec![conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 1, None))], Some("P2")));
    assert!(plan.next_call().is_none());
    assert!(!plan.finished());
    assert!(plan.cursor().is_some());
}

#[test]
fn a_too_heavy_page_is_asked_for_again_smaller() {
    let mut plan = plan(SyncOptions { page_size: 40, ..Default::default() }, None);
    let (id, _) = plan.next_call().unwrap();
    assert!(plan.ask_for_less(id));
    let (_, call) = plan.next_call().unwrap();
    assert!(url(&plan, &call).ends_with("&limit=20"));
}

#[test]
fn options_out_of_range_are_refused() {
    for options in [
        SyncOptions { messages_per_conversation: 0, ..Default::default() },
        SyncOptions { messages_per_conversation: 100_001, ..Default::default() },
        SyncOptions { conversation_fields: Some(vec!["messages".into()]), ..Default::default() },
        SyncOptions { conversation_fields: Some(vec!["snippet{x}".into()]), ..Default::default() },
        SyncOptions { page_size: 0, ..Default::default() },
        SyncOptions { max_requests: Some(0), ..Default::default() },
    ] {
        let err = SyncPlan::new(PageId::new(PAGE).unwrap(), options, None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
}

#[test]
fn more_than_a_hundred_messages_or_all_are_read_on_a_hundred_a_call() {
    use crate::core::options::ALL_MESSAGES;
    for (wanted, total) in [(250u32, 400usize), (ALL_MESSAGES, 230)] {
        let mut plan = plan(SyncOptions { messages_per_conversation: wanted, ..Default::default() }, None);
        let (id, call) = plan.next_call().unwrap();
        assert!(url(&plan, &call).contains("messages.limit%28100%29"), "at most 100 nested: {}", url(&plan, &call));
        let answer =
            page(vec![conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 100, Some("c100")))], None);
        let (threads, _) = plan.answered(id, &answer);
        let mut read = threads[0].messages.len();
        assert_eq!(plan.cut_short(), ["t_1"], "the thread is not final yet");
        let mut after = "c100".to_owned();
        while let Some((id, call)) = plan.next_call() {
            assert!(url(&plan, &call).contains(&format!("after={after}")));
            let asked = (wanted as usize - read).min(100);
            assert!(url(&plan, &call).contains(&format!("limit={asked}&")), "{}", url(&plan, &call));
            let left = total - read;
            let n = left.min(100);
            after = format!("c{}", read + n);
            let next = (read + n < total).then_some(after.as_str());
            let (threads, error) = plan.answered(id, &messages("1", n, next));
            assert!(error.is_none());
            read += threads[0].messages.len();
        }
        assert_eq!(read, total.min(wanted as usize));
        assert!(plan.finished() && plan.cut_short().is_empty());
    }
}

#[test]
fn conversation_fields_are_the_callers_with_id_and_updated_time() {
    let fields = Some(vec!["snippet".into(), "unread_count".into(), "id".into()]);
    let mut plan = plan(SyncOptions { conversation_fields: fields, ..Default::default() }, None);
    let (_, call) = plan.next_call().unwrap();
    let url = url(&plan, &call);
    assert!(url.contains("fields=id,updated_time,snippet,unread_count,messages.limit%2820%29"), "{url}");
}

#[test]
fn a_sync_stopped_by_max_requests_names_the_threads_it_cut_short() {
    let options = SyncOptions { messages_per_conversation: 30, max_requests: Some(1), ..Default::default() };
    let mut plan = plan(options, None);
    let (id, _) = plan.next_call().unwrap();
    let answer = page(
        vec![
            conversation("t_1", "2026-01-02T00:00:00+0000", messages("1", 25, Some("a1"))),
            conversation("t_2", "2026-01-01T00:00:00+0000", messages("2", 3, None)),
        ],
        None,
    );
    plan.answered(id, &answer);
    assert!(plan.next_call().is_none(), "maxRequests reached");
    assert_eq!(plan.cut_short(), ["t_1"], "t_2 is whole: 3 messages and no more");
    assert!(plan.cursor().is_some());
}
