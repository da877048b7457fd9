//! The Send API over a scripted transport: every rule checked before
//! sending, and a message never sent twice.

use serde_json::{json, Value};

use crate::core::error::Delivery;
use crate::core::response::HttpResponse;
use crate::core::send::{OutgoingMessage, SenderAction};
use crate::core::usage::ResponseHeaders;
use crate::test_support::percent_decode;
use crate::transport::scripted::{block_on, ScriptedTransport};
use crate::{Client, ClientConfig, Error, Platform};

const TOKEN: &str = "EAAG-send-test-token";
const PAGE: &str = "104620945892041";
const PSID: &str = "5120094478812093";

fn client() -> Client<ScriptedTransport> {
    let config = ClientConfig::new(TOKEN).unwrap().base_url("http://127.0.0.1:9").unwrap();
    let config = config.retry_delay_ms(100.0).unwrap().calls_per_second(2.0).unwrap();
    Client::new(config, ScriptedTransport::new())
}

fn text(t: &str) -> OutgoingMessage {
    OutgoingMessage { text: Some(t.into()), ..Default::default() }
}

fn graph_error(code: i64, subcode: Option<i64>, message: &str) -> Value {
    let mut error = json!({"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"});
    if let Some(sub) = subcode {
        error["error_subcode"] = json!(sub);
    }
    json!({ "error": error })
}

fn form(client: &Client<ScriptedTransport>, i: usize) -> Vec<(String, String)> {
    let sent = &client.transport().sent()[i];
    sent.body
        .as_deref()
        .unwrap_or("")
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (k.to_owned(), percent_decode(v))
        })
        .collect()
}

#[test]
fn a_reply_is_one_form_post_with_the_token_in_the_header_and_resolves_to_the_sent_message() {
    let client = client();
    client.transport().answer_json(200, json!({"recipient_id": PSID, "message_id": "m_sent_1"}));
    let message = OutgoingMessage {
        text: Some("Your order shipped".into()),
        reply_to: Some("m_question_1".into()),
        metadata: Some("ticket-42".into()),
        ..Default::default()
    };
    let sent = block_on(client.send_message(PAGE, PSID, &message)).unwrap();
    let request = &client.transport().sent()[0];
    assert_eq!(request.url, format!("http://127.0.0.1:9/v27.0/{PAGE}/messages"));
    assert!(!request.url.contains(TOKEN));
    assert!(request.headers.iter().any(|(k, v)| *k == "Authorization" && v == &format!("Bearer {TOKEN}")));
    let fields = form(&client, 0);
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(get("recipient"), Some(r#"{"id":"5120094478812093"}"#));
    assert_eq!(get("messaging_type"), Some("RESPONSE"));
    assert_eq!(get("message"), Some(r#"{"metadata":"ticket-42","text":"Your order shipped"}"#));
    assert_eq!(get("reply_to"), Some(r#"{"mid":"m_question_1"}"#));
    assert_eq!(sent["recipientId"], PSID);
    assert_eq!(sent["messageId"], "m_sent_1");
    assert_eq!(sent["message"]["id"], "m_sent_1");
    assert_eq!(sent["message"]["message"], "Your order shipped");
    assert_eq!(sent["message"]["from"]["id"], PAGE);
    assert!(sent["message"]["created_time"].as_str().unwrap().ends_with("+0000"));
}

#[test]
fn every_bad_input_is_refused_before_sending_and_says_which_rule() {
    let client = client();
    let long = "x".repeat(2_000);
    let ig_long = "é".repeat(501);
    let cases: Vec<(OutgoingMessage, &str)> = vec![
        (OutgoingMessage::default(), "needs text or an attachment"),
        (text(&long), "Messenger takes fewer than 2000"),
        (OutgoingMessage { platform: Some(Platform::Instagram), ..text(&ig_long) }, "Instagram takes at most 1000"),
        (OutgoingMessage { tag: Some("ACCOUNT_UPDATE".into()), ..text("hi") }, "retired on 27 April 2026"),
        (OutgoingMessage { tag: Some("CUSTOMER_FEEDBACK".into()), ..text("hi") }, "only tag still accepted"),
        (
            OutgoingMessage {
                attachment: Some(("image".into(), "http://example.com/a.png".into())),
                ..Default::default()
            },
            "https://",
        ),
        (
            OutgoingMessage {
                attachment: Some(("sticker".into(), "https://example.com/a.png".into())),
                ..Default::default()
            },
            "invalid attachment type",
        ),
        (OutgoingMessage { metadata: Some("m".repeat(1_000)), ..text("hi") }, "metadata"),
        (
            OutgoingMessage { messaging_type: Some("UPDATE".into()), tag: Some("HUMAN_AGENT".into()), ..text("hi") },
            "MESSAGE_TAG",
        ),
    ];
    for (message, expected) in cases {
        let err = block_on(client.send_message(PAGE, PSID, &message)).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument, "{err}");
        assert!(err.to_string().contains(expected), "{err} should say {expected}");
        assert_eq!(err.delivery(), None);
    }
    assert!(block_on(client.send_message(PAGE, "has space", &text("hi"))).is_err());
    assert!(block_on(client.react(PAGE, PSID, "m_1", Some(" "))).is_err());
    assert!(client.transport().sent().is_empty(), "nothing was sent");
    let ig = OutgoingMessage { platform: Some(Platform::Instagram), ..text(&"é".repeat(500)) };
    client.transport().answer_json(200, json!({"recipient_id": PSID, "message_id": "m_ok"}));
    assert!(block_on(client.send_message("me", PSID, &ig)).is_ok(), "1,000 bytes and \"me\" are fine");
}

#[test]
fn a_throttling_answer_proves_it_was_not_taken_and_is_waited_out() {
    let client = client();
    let limited = graph_error(613, None, "(#613) Calls to this api have exceeded the rate limit.");
    client.transport().answer(Ok(HttpResponse {
        status: 400,
        headers: ResponseHeaders { retry_after: Some("1".into()), ..Default::default() },
        body: limited.to_string(),
    }));
    client.transport().answer_json(200, json!({"recipient_id": PSID, "message_id": "m_after_wait"}));
    let sent = block_on(client.send_message(PAGE, PSID, &text("hello"))).unwrap();
    assert_eq!(sent["messageId"], "m_after_wait");
    assert_eq!(client.transport().sent().len(), 2);
    assert_eq!(client.transport().waits(), [1000.0], "no pacing for sends, only the Graph's wait");
}

#[test]
fn an_answer_that_does_not_say_is_never_sent_again() {
    let unknown: Vec<Result<HttpResponse<String>, Error>> = vec![
        Err(Error::timeout(30_000)),
        Err(Error::network("fetch failed (ECONNRESET)")),
        Ok(HttpResponse { status: 502, headers: ResponseHeaders::default(), body: "<h1>Bad gateway</h1>".into() }),
        Ok(HttpResponse { status: 200, headers: ResponseHeaders::default(), body: "{\"recipient_id\":\"1\"".into() }),
        Ok(HttpResponse { status: 200, headers: ResponseHeaders::default(), body: "{\"recipient_id\":\"1\"}".into() }),
    ];
    for answer in unknown {
        let client = client();
        client.transport().answer(answer.clone());
        client.transport().answer_json(200, json!({"message_id": "m_twice"}));
        let err = block_on(client.send_message(PAGE, PSID, &text("hello"))).unwrap_err();
        assert_eq!(err.delivery(), Some(Delivery::Unknown), "{answer:?}: {err}");
        assert_eq!(client.transport().sent().len(), 1, "{answer:?}: sent once, never again");
        assert!(err.to_string().contains("delivery unknown"), "{err}");
    }
}

#[test]
fn refusals_are_typed_and_say_what_to_do() {
    let cases = [
        (
            graph_error(10, Some(2_018_278), "(#10) This message is sent outside of allowed window."),
            "outside_window",
            "HUMAN_AGENT",
        ),
        (
            graph_error(10, Some(2_534_022), "This message is sent outside of allowed window."),
            "outside_window",
            "7 days",
        ),
        (graph_error(551, None, "This person isn't available right now."), "recipient_unavailable", "do not retry"),
        (
            graph_error(100, Some(2_018_001), "(#100) No matching user found"),
            "no_such_recipient",
            "check the recipient id",
        ),
        (graph_error(10, Some(1_893_063), "(#10) This Page can't send messages right now."), "page_restricted", "wait"),
        (graph_error(100, None, "(#100) Tag ACCOUNT_UPDATE is no longer supported"), "retired_tag", "HUMAN_AGENT"),
    ];
    for (body, refusal, advice) in cases {
        let client = client();
        client.transport().answer_json(400, body);
        let err = block_on(client.send_message(PAGE, PSID, &text("hello"))).unwrap_err();
        assert_eq!(err.delivery(), Some(Delivery::NotSent));
        let fields = err.fields();
        assert!(fields.contains(&("refusal", crate::FieldValue::Text(refusal))), "{fields:?}");
        assert!(err.to_string().contains(advice), "{err}");
        assert_eq!(client.transport().sent().len(), 1);
    }
    // A transient Graph error that is not a throttle (code 2) is not retried for a send.
    let client = client();
    client.transport().answer_json(503, graph_error(2, None, "An unexpected error has occurred."));
    let err = block_on(client.send_message(PAGE, PSID, &text("hello"))).unwrap_err();
    assert_eq!((err.delivery(), client.transport().sent().len()), (Some(Delivery::NotSent), 1));
}

#[test]
fn actions_and_reactions_are_sender_actions_alone() {
    let client = client();
    for _ in 0..3 {
        client.transport().answer_json(200, json!({"recipient_id": PSID}));
    }
    block_on(client.send_action(PAGE, PSID, SenderAction::TypingOn)).unwrap();
    block_on(client.react(PAGE, PSID, "m_1", Some("❤️"))).unwrap();
    block_on(client.react(PAGE, PSID, "m_1", None)).unwrap();
    let actions: Vec<Vec<(String, String)>> = (0..3).map(|i| form(&client, i)).collect();
    let get = |i: usize, key: &str| actions[i].iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    assert_eq!(get(0, "sender_action").as_deref(), Some("typing_on"));
    assert_eq!(get(0, "message"), None, "a sender action goes alone, with only the recipient");
    assert_eq!(get(1, "sender_action").as_deref(), Some("react"));
    assert_eq!(get(1, "payload").as_deref(), Some(r#"{"message_id":"m_1","reaction":"❤️"}"#));
    assert_eq!(get(2, "sender_action").as_deref(), Some("unreact"));
    assert!(SenderAction::parse("typing").is_err());
}

#[test]
fn an_instagram_login_token_sent_to_graph_facebook_com_is_told_where_to_go() {
    let config = ClientConfig::new("IGAAJ0hnQ0jDlBZAE5kMmZA-instagram-user-token").unwrap().max_retries(0.0).unwrap();
    let client = Client::new(config, ScriptedTransport::new());
    client
        .transport()
        .answer_json(400, graph_error(190, None, "Invalid OAuth access token - Cannot parse access token"));
    let err = block_on(client.list_conversations("me", &crate::ConversationQuery::default())).unwrap_err();
    assert!(err.to_string().contains("https://graph.instagram.com"), "{err}");
    assert!(!err.to_string().contains("IGAAJ0hnQ0jDlBZAE5kMmZA"), "the token itself is not repeated");
    let on_instagram = ClientConfig::new("IGAAJ0hnQ0jDlBZAE5kMmZA-instagram-user-token")
        .unwrap()
        .base_url("https://graph.instagram.com")
        .unwrap()
        .max_retries(0.0)
        .unwrap();
    let client = Client::new(on_instagram, ScriptedTransport::new());
    client.transport().answer_json(400, graph_error(190, None, "Invalid OAuth access token"));
    let err = block_on(client.list_conversations("me", &crate::ConversationQuery::default())).unwrap_err();
    assert!(!err.to_string().contains("graph.instagram.com"), "already there: no hint");
}
