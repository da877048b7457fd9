//! The client over a scripted transport: what a caller of each method
//! gets, and what goes over the wire, with no network.

use crate::core::request::Method;
use crate::core::response::HttpResponse;
use crate::core::usage::ResponseHeaders;
use crate::transport::scripted::{block_on, ScriptedTransport};
use crate::{Client, ClientConfig, ConversationQuery, ErrorKind, Fields, ListWalk, MessageQuery, Platform};
use serde_json::{json, Value};

const TOKEN: &str = "EAAG-secret-token";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn config() -> ClientConfig {
    ClientConfig::new(TOKEN).unwrap().base_url("http://127.0.0.1:9").unwrap().api_version("v21.0").unwrap()
}

/// A client that does not retry, so each scripted answer is one call.
fn client() -> Client<ScriptedTransport> {
    Client::new(config().max_retries(0.0).unwrap(), ScriptedTransport::new())
}

#[test]
fn lists_conversations_as_the_graph_sent_them() {
    let client = client();
    let body = fixture("conversations_messenger.json");
    client.transport().answer_json(200, body.clone());
    let query = ConversationQuery { platform: Some(Platform::Messenger), limit: Some(2), ..Default::default() };
    let page = block_on(client.list_conversations("104620945892041", &query)).unwrap();
    assert_eq!(page, body, "the page comes back untouched");
    let sent = client.transport().sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "http://127.0.0.1:9/v21.0/104620945892041/conversations?platform=messenger&limit=2");
}

#[test]
fn walks_every_page_by_cursor_without_fetching_next_links() {
    let client = client();
    client.transport().answer_json(
        200,
        json!({"data": [{"id": "t_1"}], "paging": {"cursors": {"after": "C1"}, "next": format!("https://graph/x?access_token={TOKEN}")}}),
    );
    client.transport().answer_json(200, json!({"data": [{"id": "t_2"}], "paging": {"cursors": {"after": "C2"}}}));
    let mut walk = ListWalk::conversations("1", &ConversationQuery::default()).unwrap();
    let mut ids = Vec::new();
    while let Some(page) = block_on(client.next_page(&mut walk)).unwrap() {
        ids.extend(page["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()));
    }
    assert_eq!(ids, ["t_1", "t_2"]);
    assert!(walk.done());
    let urls: Vec<_> = client.transport().sent().into_iter().map(|r| r.url).collect();
    assert_eq!(urls, ["http://127.0.0.1:9/v21.0/1/conversations", "http://127.0.0.1:9/v21.0/1/conversations?after=C1"]);
    assert!(urls.iter().all(|u| !u.contains(TOKEN)));
}

#[test]
fn a_repeated_cursor_keeps_the_page_and_then_stops_with_an_error() {
    let client = client();
    let page = |id: &str| json!({"data": [{"id": id}], "paging": {"cursors": {"after": "SAME"}, "next": "n"}});
    client.transport().answer_json(200, page("m_1"));
    client.transport().answer_json(200, page("m_2"));
    let mut walk = ListWalk::messages("t_1", &MessageQuery::default()).unwrap();
    assert!(block_on(client.next_page(&mut walk)).unwrap().is_some());
    assert!(block_on(client.next_page(&mut walk)).unwrap().is_some(), "the second page is not lost");
    let err = block_on(client.next_page(&mut walk)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("repeated a paging cursor"));
    assert_eq!(client.transport().sent().len(), 2);
}

#[test]
fn find_returns_the_thread_or_none() {
    let client = client();
    client.transport().answer_json(200, fixture("conversations_find_by_user.json"));
    client.transport().answer_json(200, fixture("conversations_find_miss.json"));
    let hit = block_on(client.find_conversation("1", "24000000000000001", Some(Platform::Instagram), None)).unwrap();
    assert!(hit.unwrap()["id"].is_string());
    let miss = block_on(client.find_conversation("1", "24000000000000002", None, None)).unwrap();
    assert_eq!(miss, None);
    assert!(client.transport().sent()[0].url.contains("platform=instagram&user_id=24000000000000001"));
}

#[test]
fn bad_arguments_send_nothing() {
    let client = client();
    let bad_limit = ConversationQuery { limit: Some(0), ..Default::default() };
    let errors = [
        block_on(client.list_conversations("", &ConversationQuery::default())).unwrap_err(),
        block_on(client.list_conversations("1", &bad_limit)).unwrap_err(),
        block_on(client.get_message("m_1?fields=x", None)).unwrap_err(),
        block_on(client.get_conversation("t_1", Some(&Fields::Expansion("messages{id".into())))).unwrap_err(),
        block_on(client.find_conversation("1", "a b", None, None)).unwrap_err(),
        block_on(client.get_messages(&["m_1".into(), "../x".into()], None)).unwrap_err(),
    ];
    for err in errors {
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    }
    assert!(client.transport().sent().is_empty());
}

#[test]
fn message_details_use_the_documented_fields_and_keep_odd_values() {
    let client = client();
    let odd = fixture("message_odd.json");
    client.transport().answer_json(200, odd.clone());
    let message = block_on(client.get_message("m_mid.46348462:357234723feb", None)).unwrap();
    assert_eq!(message, odd);
    let url = &client.transport().sent()[0].url;
    assert!(
        url.starts_with(
            "http://127.0.0.1:9/v21.0/m_mid.46348462:357234723feb?fields=id,created_time,from,to,message,attachments"
        ),
        "{url}"
    );
}

#[test]
fn an_older_message_answers_with_the_graphs_error() {
    let client = client();
    client.transport().answer_json(400, fixture("error_9000001.json"));
    let err = block_on(client.get_message("m_old", None)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Graph);
    assert_eq!(err.graph().unwrap().code, Some(9000001));
    assert!(!err.transient());
}

#[test]
fn batch_keeps_input_order_and_per_item_errors() {
    let client = client();
    client.transport().answer_json(200, fixture("batch_response.json"));
    let ids: Vec<String> = ["m_a", "m_b", "m_c"].map(String::from).to_vec();
    let results = block_on(client.get_messages(&ids, None)).unwrap();
    assert_eq!(results.len(), 3);
    assert!(results[0].as_ref().unwrap()["id"].is_string());
    assert_eq!(results[1].as_ref().unwrap_err().graph().unwrap().code, Some(9000001));
    assert!(results[2].as_ref().unwrap_err().transient(), "a null item can be asked again");
    let sent = &client.transport().sent()[0];
    assert_eq!(sent.method, Method::Post);
    assert!(sent.body.as_ref().unwrap().contains("relative_url"));
}

#[test]
fn batches_hold_at_most_fifty_and_a_failed_batch_keeps_the_others() {
    let client = client();
    let item = |i: usize| json!({"code": 200, "body": json!({"id": format!("m_{i}")}).to_string()});
    client.transport().answer_json(200, Value::Array((0..50).map(item).collect()));
    client.transport().answer_json(400, fixture("error_190.json"));
    let ids: Vec<String> = (0..60).map(|i| format!("m_{i}")).collect();
    let results = block_on(client.get_messages(&ids, None)).unwrap();
    assert_eq!(client.transport().sent().len(), 2);
    assert_eq!(results.len(), 60);
    assert_eq!(results[49].as_ref().unwrap()["id"], "m_49");
    assert_eq!(results[50].as_ref().unwrap_err().graph().unwrap().code, Some(190));
    assert!(block_on(client.get_messages(&[], None)).unwrap().is_empty());
}

#[test]
fn errors_never_carry_the_token() {
    let client = client();
    let echo = json!({"error": {"message": format!("Invalid token {TOKEN}"), "code": 190, "type": "OAuthException"}});
    client.transport().answer_json(400, echo);
    client.transport().answer(Ok(HttpResponse {
        status: 502,
        headers: ResponseHeaders { content_type: Some("text/html".into()), ..Default::default() },
        body: format!("<h1>Bad gateway for /x?access_token={TOKEN}</h1>"),
    }));
    for err in
        [block_on(client.get_message("m_1", None)).unwrap_err(), block_on(client.get_message("m_1", None)).unwrap_err()]
    {
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}

#[test]
fn a_body_of_the_wrong_shape_is_a_decode_error() {
    let client = client();
    client.transport().answer_json(200, json!({"data": 5}));
    let err = block_on(client.list_messages("t_1", &MessageQuery::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.to_string(), "unexpected answer from the Graph: data is not an array");
}

#[test]
fn usage_headers_reach_the_transport() {
    let client = client();
    let headers = ResponseHeaders {
        app_usage: Some(r#"{"call_count":41,"total_cputime":12,"total_time":30}"#.into()),
        ..Default::default()
    };
    client.transport().answer_text(200, headers, json!({"data": []}).to_string());
    block_on(client.list_conversations("1", &ConversationQuery::default())).unwrap();
    assert_eq!(client.transport().usage().unwrap().app.unwrap().call_count, Some(41.0));
}

#[test]
fn fixtures_read_as_the_typed_models() {
    use crate::{Conversation, Message, Page};
    for name in ["conversations_messenger.json", "conversations_instagram.json", "conversations_find_by_user.json"] {
        let page: Page<Conversation> = serde_json::from_value(fixture(name)).unwrap();
        assert!(!page.data.is_empty(), "{name}");
    }
    let messages: Page<Message> = serde_json::from_value(fixture("messages_edge.json")).unwrap();
    assert!(messages.data.iter().all(|m| m.created_time.is_some()));
    let nested: Conversation = serde_json::from_value(fixture("conversation_messages.json")).unwrap();
    assert!(!nested.messages.unwrap().data.is_empty());
    let ig: Message = serde_json::from_value(fixture("message_instagram.json")).unwrap();
    assert!(ig.from.unwrap().username.is_some());
    assert!(ig.story.is_some() && ig.reactions.is_some() && ig.shares.is_some());
    let odd_value = fixture("message_odd.json");
    let odd: Message = serde_json::from_value(odd_value.clone()).unwrap();
    assert!(odd.other.contains_key("new_field_2027"), "unknown fields are kept");
    let written = serde_json::to_value(&odd).unwrap();
    assert_eq!(written["new_field_2027"], odd_value["new_field_2027"], "and written back untouched");
    assert_eq!(written["message"], odd_value["message"]);
    assert_eq!(odd.shares.unwrap().data[0].link, None, "a null field reads as absent");
}

#[test]
fn replies_stickers_and_instagram_posts_read_as_typed_fields() {
    use crate::{Message, Page};
    let page: Page<Message> = serde_json::from_value(fixture("messages_2026_shapes.json")).unwrap();
    let reply = page.data[0].reply_to.as_ref().unwrap();
    assert_eq!((reply.mid.as_deref(), reply.is_self_reply), (Some("m_question_20261102"), Some(false)));
    let sticker = &page.data[1].attachments.as_ref().unwrap().data[0];
    assert_eq!(sticker.attachment_type.as_deref(), Some("sticker"));
    assert_eq!(sticker.sticker_id, Some(json!(369239263222822u64)));
    let post = &page.data[2].attachments.as_ref().unwrap().data[0];
    assert_eq!(post.attachment_type.as_deref(), Some("ig_post"));
    assert_eq!(post.ig_post_media_id.as_deref(), Some("18031231231231231"));
    assert_eq!(post.url.as_deref(), Some("https://www.instagram.com/p/C0ffeeRide1/"));
    let written = serde_json::to_value(&page).unwrap();
    assert_eq!(written, fixture("messages_2026_shapes.json"), "written back as read");
    let owned: crate::Conversation = serde_json::from_value(json!({"id": "t_1", "is_owner": true})).unwrap();
    assert_eq!(owned.is_owner, Some(true));
}

#[test]
fn get_messages_rejects_when_no_batch_call_was_answered() {
    let client = client();
    client.transport().answer_json(400, fixture("error_190.json"));
    let err = block_on(client.get_messages(&["m_1".into(), "m_2".into()], None)).unwrap_err();
    assert_eq!(err.graph().unwrap().code, Some(190));
}

#[test]
fn iterators_walk_forward_only() {
    let before = ConversationQuery { before: Some("B".into()), ..Default::default() };
    assert_eq!(ListWalk::conversations("1", &before).unwrap_err().kind(), ErrorKind::InvalidArgument);
    let before = MessageQuery { before: Some("B".into()), ..Default::default() };
    assert_eq!(ListWalk::messages("t_1", &before).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn a_next_link_without_a_cursor_ends_the_walk_with_an_error_after_the_page() {
    let client = client();
    client.transport().answer_json(200, json!({"data": [{"id": "t_1"}], "paging": {"next": "https://graph/x"}}));
    let mut walk = ListWalk::conversations("1", &ConversationQuery::default()).unwrap();
    assert!(block_on(client.next_page(&mut walk)).unwrap().is_some());
    assert_eq!(block_on(client.next_page(&mut walk)).unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(block_on(client.next_page(&mut walk)).unwrap(), None);
    assert_eq!(client.transport().sent().len(), 1);
}

fn retrying_client(retries: f64) -> Client<ScriptedTransport> {
    let config = config().max_retries(retries).unwrap().retry_delay_ms(100.0).unwrap().calls_per_second(0.0).unwrap();
    Client::new(config, ScriptedTransport::new())
}

fn proxy_502() -> Result<HttpResponse<String>, crate::Error> {
    Ok(HttpResponse {
        status: 502,
        headers: ResponseHeaders { content_type: Some("text/html".into()), ..Default::default() },
        body: "<h1>502 Bad Gateway</h1>".into(),
    })
}

#[test]
fn a_transient_failure_is_retried_after_a_backoff_and_succeeds() {
    let client = retrying_client(3.0);
    client.transport().answer(proxy_502()).answer_json(200, json!({"id": "m_1"}));
    let message = block_on(client.get_message("m_1", None)).unwrap();
    assert_eq!(message["id"], "m_1");
    assert_eq!(client.transport().sent().len(), 2);
    // random() is 0.5 in the scripted transport: half of the 100 ms ceiling.
    assert_eq!(client.transport().waits(), [50.0]);
}

#[test]
fn the_last_error_says_how_many_attempts_were_made() {
    let client = retrying_client(2.0);
    for _ in 0..3 {
        client.transport().answer(proxy_502());
    }
    let err = block_on(client.get_message("m_1", None)).unwrap_err();
    assert_eq!((err.kind(), err.status(), err.attempts()), (ErrorKind::Http, Some(502), Some(3)));
    assert_eq!(client.transport().waits(), [50.0, 100.0], "the ceiling doubles");
    let not_retried = json!({"error": {"message": "Invalid parameter", "code": 100}});
    client.transport().answer_json(400, not_retried);
    let err = block_on(client.get_message("m_1", None)).unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(client.transport().sent().len(), 4);
}

#[test]
fn a_rate_limit_waits_at_least_what_the_graph_asks() {
    let client = retrying_client(1.0);
    let limited = HttpResponse {
        status: 400,
        headers: ResponseHeaders { retry_after: Some("2".into()), ..Default::default() },
        body: json!({"error": {"message": "(#613) Calls to this api have exceeded the rate limit.", "code": 613}})
            .to_string(),
    };
    client.transport().answer(Ok(limited)).answer_json(200, json!({"id": "m_1"}));
    block_on(client.get_message("m_1", None)).unwrap();
    assert_eq!(client.transport().waits(), [2000.0]);
}

#[test]
fn calls_are_paced_per_token_and_a_batch_counts_each_item() {
    let config = config().max_retries(0.0).unwrap().calls_per_second(2.0).unwrap();
    let client = Client::new(config, ScriptedTransport::new());
    let items: Vec<Value> = (0..3).map(|i| json!({"code": 200, "body": format!("{{\"id\":\"m_{i}\"}}")})).collect();
    client.transport().answer_json(200, json!(items)).answer_json(200, json!({"id": "m_9"}));
    let ids: Vec<String> = (0..3).map(|i| format!("m_{i}")).collect();
    block_on(client.get_messages(&ids, None)).unwrap();
    block_on(client.get_message("m_9", None)).unwrap();
    assert_eq!(client.transport().sent_at(), [0.0, 1500.0], "3 calls at 2 per second hold the next one 1.5 s");
}

fn sync_page(threads: &[(&str, usize, Option<&str>)], next: Option<&str>) -> Value {
    let data: Vec<Value> = threads
        .iter()
        .map(|(id, n, more)| {
            let messages: Vec<Value> = (0..*n).map(|i| json!({"id": format!("{id}_m{i}")})).collect();
            let mut nested = json!({"data": messages});
            if let Some(after) = more {
                nested["paging"] = json!({"cursors": {"after": after}, "next": "https://graph/next"});
            }
            json!({"id": id, "updated_time": "2026-01-02T00:00:00+0000", "messages": nested})
        })
        .collect();
    let mut page = json!({"data": data});
    if let Some(after) = next {
        page["paging"] = json!({"cursors": {"after": after}, "next": "https://graph/next"});
    }
    page
}

fn message_ids(inbox: &crate::InboxSync<Value>) -> Vec<String> {
    inbox.conversations.iter().flat_map(|t| t.messages.iter().map(|m| m["id"].as_str().unwrap().to_owned())).collect()
}

#[test]
fn a_sync_reads_pages_and_cut_short_threads_and_reports_progress() {
    use crate::core::sync::SyncOptions;
    let client = retrying_client(0.0);
    let t = client.transport();
    t.answer_json(200, sync_page(&[("t_1", 2, Some("more")), ("t_2", 3, None)], Some("P2")));
    t.answer_json(200, sync_page(&[("t_3", 1, None)], None));
    t.answer_json(200, json!({"data": [{"id": "t_1_m2"}]}));
    let options = SyncOptions { messages_per_conversation: 3, ..Default::default() };
    let mut progress = Vec::new();
    let inbox = block_on(client.sync_inbox(
        "104620945892041",
        SyncOptions { concurrency: 4, ..options },
        None,
        &mut |p| progress.push(p),
    ))
    .unwrap();
    assert!(inbox.complete && inbox.cursor.is_none());
    assert_eq!(inbox.requests, 3);
    let threads: Vec<_> = inbox.conversations.iter().map(|t| (t.id.as_str(), t.messages.len())).collect();
    assert_eq!(threads, [("t_1", 3), ("t_2", 3), ("t_3", 1)], "t_1's third message merged in");
    assert_eq!(
        progress.iter().map(|p| (p.requests, p.conversations, p.messages)).collect::<Vec<_>>(),
        [(1, 2, 5), (2, 3, 6), (3, 3, 7)]
    );
}

#[test]
fn an_interrupted_sync_keeps_what_it_read_and_resumes_without_duplicates() {
    use crate::core::sync::SyncOptions;
    let client = retrying_client(0.0);
    let t = client.transport();
    t.answer_json(200, sync_page(&[("t_1", 2, None), ("t_2", 2, None)], Some("P2")));
    t.answer_json(400, json!({"error": {"message": "Invalid OAuth access token.", "code": 190}}));
    let options = SyncOptions { messages_per_conversation: 2, ..Default::default() };
    let failure = block_on(client.sync_inbox(
        "104620945892041",
        SyncOptions { concurrency: 2, ..options.clone() },
        None,
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(failure.error.kind(), ErrorKind::Graph);
    let partial = failure.partial.expect("what was read is kept");
    assert_eq!(message_ids(&partial), ["t_1_m0", "t_1_m1", "t_2_m0", "t_2_m1"]);
    let cursor = partial.cursor.expect("a cursor to go on from");

    t.answer_json(200, sync_page(&[("t_3", 2, None)], None));
    let rest = block_on(client.sync_inbox(
        "104620945892041",
        SyncOptions { concurrency: 2, ..options },
        Some(&cursor),
        &mut |_| {},
    ))
    .unwrap();
    assert_eq!(message_ids(&rest), ["t_3_m0", "t_3_m1"]);
    let sent = t.sent();
    assert!(sent[2].url.contains("after=P2"), "{}", sent[2].url);
    assert_eq!(sent.len(), 3, "nothing read twice");
}

#[test]
fn a_sync_with_bad_options_sends_nothing() {
    use crate::core::sync::SyncOptions;
    let client = retrying_client(0.0);
    let bad = SyncOptions { messages_per_conversation: 0, ..Default::default() };
    let failure = block_on(client.sync_inbox("104620945892041", bad, None, &mut |_| {})).unwrap_err();
    assert_eq!(failure.error.kind(), ErrorKind::InvalidArgument);
    assert!(failure.partial.is_none());
    let failure = block_on(client.sync_inbox("a/b", SyncOptions::default(), None, &mut |_| {})).unwrap_err();
    assert_eq!(failure.error.kind(), ErrorKind::InvalidArgument);
    assert!(client.transport().sent().is_empty());
}

#[test]
fn a_cursor_that_holds_the_token_is_refused_before_sending() {
    let client = client();
    let next_link = format!("https://graph.facebook.com/v21.0/1/conversations?access_token={TOKEN}&after=QVFI");
    let query = ConversationQuery { after: Some(next_link), ..Default::default() };
    let err = block_on(client.list_conversations("104620945892041", &query)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(!err.to_string().contains(TOKEN), "{err}");
    assert!(client.transport().sent().is_empty());
}

#[test]
fn a_batch_item_that_failed_for_a_while_is_sent_again_alone() {
    let client = retrying_client(2.0);
    let ok = |id: &str| json!({"code": 200, "body": format!("{{\"id\":\"{id}\"}}")});
    let limited = json!({"code": 400, "body": "{\"error\":{\"message\":\"(#613) Calls to this api have exceeded the rate limit.\",\"code\":613}}"});
    let gone =
        json!({"code": 400, "body": "{\"error\":{\"message\":\"This Message has been deleted\",\"code\":9000001}}"});
    client.transport().answer_json(200, json!([ok("m_1"), Value::Null, limited, gone]));
    client.transport().answer_json(200, json!([ok("m_2"), ok("m_3")]));
    let ids: Vec<String> = ["m_1", "m_2", "m_3", "m_4"].iter().map(|s| (*s).to_owned()).collect();
    let results = block_on(client.get_messages(&ids, None)).unwrap();
    let got: Vec<_> = results.iter().map(|r| r.as_ref().map(|m| m["id"].as_str().unwrap().to_owned()).ok()).collect();
    assert_eq!(got, [Some("m_1".into()), Some("m_2".into()), Some("m_3".into()), None]);
    assert_eq!(results[3].as_ref().unwrap_err().attempts(), Some(1), "9000001 is not tried again");
    let sent = client.transport().sent();
    assert_eq!(sent.len(), 2);
    let second = sent[1].body.clone().unwrap();
    assert!(
        second.contains("m_2") && second.contains("m_3") && !second.contains("m_1") && !second.contains("m_4"),
        "{second}"
    );
}

/// An adaptive sync (no pageSize): it asks for 100 conversations, halves at
/// once on a timeout instead of retrying the heavy page, grows back after
/// two good pages, and the client remembers the size for the account.
#[test]
fn an_adaptive_sync_halves_on_a_timeout_grows_back_and_remembers() {
    use crate::{Error, SyncOptions};
    const PAGE_ID: &str = "104620945892041";
    let config = ClientConfig::new(TOKEN).unwrap().base_url("http://127.0.0.1:9").unwrap();
    let client = Client::new(config.calls_per_second(0.0).unwrap(), ScriptedTransport::new());
    let page = |n: usize, next: Option<&str>| {
        let data: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("t_{i}_{}", next.unwrap_or("end")), "messages": {"data": []}}))
            .collect();
        match next {
            Some(after) => json!({"data": data, "paging": {"cursors": {"after": after}, "next": "https://graph/next"}}),
            None => json!({"data": data}),
        }
    };
    client.transport().answer(Err(Error::timeout(30_000)));
    client.transport().answer_json(200, page(50, Some("p2")));
    client.transport().answer_json(200, page(50, Some("p3")));
    client.transport().answer_json(200, page(100, None));
    let inbox = block_on(client.sync_inbox(PAGE_ID, SyncOptions::default(), None, &mut |_| {})).unwrap();
    let limits: Vec<String> = client
        .transport()
        .sent()
        .iter()
        .map(|r| r.url.split("limit=").nth(1).unwrap_or("").split('&').next().unwrap_or("").to_owned())
        .collect();
    assert_eq!(limits, ["100", "50", "50", "100"], "halved at once on the timeout, doubled after two good pages");
    assert_eq!(inbox.conversations.len(), 200);
    assert_eq!(inbox.requests, 4);
    // The next sync of this account starts where the last one ended (100 here);
    // one that ended smaller starts smaller.
    client.transport().answer(Err(Error::timeout(30_000)));
    client.transport().answer_json(200, page(50, None));
    block_on(client.sync_inbox(PAGE_ID, SyncOptions::default(), None, &mut |_| {})).unwrap();
    client.transport().answer_json(200, page(10, None));
    block_on(client.sync_inbox(PAGE_ID, SyncOptions::default(), None, &mut |_| {})).unwrap();
    let last = client.transport().sent().last().unwrap().url.clone();
    assert!(last.contains("limit=50"), "remembered: {last}");
    // A pageSize given is kept: a timeout is retried as it is.
    let fixed = SyncOptions { page_size: 25, adaptive: false, ..SyncOptions::default() };
    let config = ClientConfig::new(TOKEN)
        .unwrap()
        .max_retries(1.0)
        .unwrap()
        .retry_delay_ms(0.0)
        .unwrap()
        .calls_per_second(0.0)
        .unwrap();
    let client = Client::new(config, ScriptedTransport::new());
    client.transport().answer(Err(Error::timeout(30_000)));
    client.transport().answer_json(200, page(5, None));
    block_on(client.sync_inbox(PAGE_ID, fixed, None, &mut |_| {})).unwrap();
    assert!(client.transport().sent().iter().all(|r| r.url.contains("limit=25")));
}
