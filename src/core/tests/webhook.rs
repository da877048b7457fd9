//! `core::webhook`: the handshake, the signature over the raw bytes, and
//! every event kind read from bodies of Meta's shapes (tests/fixtures/webhooks).

use crate::core::query::Platform;
use crate::core::value::{Borrowed, Value};
use crate::core::webhook::{challenge, check_body, parse, sign, verify_signature, EventKind, WebhookEvent};
use serde_json::Value as Json;
use std::borrow::Cow;

fn raw(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/webhooks/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn events(name: &str) -> Vec<WebhookEvent> {
    let body: Json = serde_json::from_str(&raw(name)).unwrap();
    parse(&body).unwrap()
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |v, key| v.get(key)).and_then(Value::as_str)
}

#[test]
fn the_signature_is_checked_over_the_bytes_as_received() {
    let body = raw("messenger_text_quick_reply_reply_to.json");
    let header = sign(body.as_bytes(), "app-secret-1234567890");
    assert!(header.starts_with("sha256=") && header.len() == 71);
    assert!(verify_signature(body.as_bytes(), Some(&header), &["app-secret-1234567890"]));
    // Re-serialised JSON (the escapes undone) is other bytes: refused.
    let reserialised = serde_json::to_string(&serde_json::from_str::<Json>(&body).unwrap()).unwrap();
    assert_ne!(reserialised, body);
    assert!(!verify_signature(reserialised.as_bytes(), Some(&header), &["app-secret-1234567890"]));
    // Several secrets: rotation, or an Instagram Login app beside its Meta app.
    assert!(verify_signature(body.as_bytes(), Some(&header), &["old-secret-123456", "app-secret-1234567890"]));
    assert!(!verify_signature(body.as_bytes(), Some(&header), &["another-secret-1234"]));
    assert!(verify_signature(
        body.as_bytes(),
        Some(&header.to_uppercase().replace("SHA256=", "sha256=")),
        &["app-secret-1234567890"]
    ));
}

#[test]
fn malformed_signature_headers_are_refusals_not_crashes() {
    let body = b"{}";
    let good = sign(body, "s3cret-app-secret");
    for header in [
        None,
        Some(""),
        Some("sha1="),
        Some("sha1=74432bfe572675092cc81b5ac903ff3f971b04e5"),
        Some("sha256="),
        Some("sha256=abc"),
        Some(&good[..good.len() - 1]),
        Some("sha256=zz32bfe572675092cc81b5ac903ff3f971b04e5aaaaaaaaaaaaaaaaaaaaaaa"),
        Some("sha256=é4432bfe572675092cc81b5ac903ff3f971b04e5aaaaaaaaaaaaaaaaaaaaa"),
    ] {
        assert!(!verify_signature(body, header, &["s3cret-app-secret"]), "{header:?}");
    }
    assert!(!verify_signature(body, Some(&good), &[]), "no secret, no match");
    assert!(!verify_signature(body, Some(&good), &[""]), "an empty secret matches nothing");
}

#[test]
fn the_handshake_answers_the_challenge_only_for_the_right_token() {
    let query = "hub.mode=subscribe&hub.verify_token=my%20token&hub.challenge=1158201444";
    assert_eq!(challenge(query, "my token").as_deref(), Some("1158201444"));
    assert_eq!(challenge(&format!("https://example.com/webhook?{query}"), "my token").as_deref(), Some("1158201444"));
    assert_eq!(challenge(query, "other"), None);
    assert_eq!(challenge("hub.mode=unsubscribe&hub.verify_token=t&hub.challenge=1", "t"), None);
    assert_eq!(
        challenge("hub.mode=subscribe&hub.verify_token=&hub.challenge=1", ""),
        None,
        "an empty token never matches"
    );
    assert_eq!(challenge("hub.mode=subscribe&hub.verify_token=t", "t"), None, "no challenge to answer");
}

#[test]
fn a_message_reads_as_a_graph_message_node() {
    let [event] = events("messenger_text_quick_reply_reply_to.json").try_into().unwrap();
    assert_eq!(event.kind, EventKind::Message);
    assert_eq!(
        (event.platform, event.account_id.as_str(), event.customer_id.as_str()),
        (Platform::Messenger, "104620945892041", "5120094478812093")
    );
    assert_eq!(event.mid.as_deref(), Some("m_live_0001"));
    assert_eq!(event.timestamp, 1_764_921_600_000.0);
    let message = event.message.unwrap();
    assert_eq!(text(&message, &["id"]), Some("m_live_0001"));
    assert_eq!(text(&message, &["created_time"]), Some("2025-12-05T08:00:00+0000"));
    assert_eq!(text(&message, &["message"]), Some("Is the blue one in stock? ä 😀"), "escaped unicode read");
    assert_eq!(text(&message, &["from", "id"]), Some("5120094478812093"));
    assert_eq!(message.get("to").and_then(|t| t.get("data")).map(|d| d.items().len()), Some(1));
    assert_eq!(text(&message, &["reply_to", "mid"]), Some("m_question_0001"));
    assert_eq!(text(&message, &["quick_reply", "payload"]), Some("STOCK_BLUE"));
    assert_eq!(message.get("name"), None, "what a webhook does not carry is absent, not invented");
}

#[test]
fn every_attachment_type_lands_in_the_graphs_fields() {
    let [event] = events("messenger_attachments.json").try_into().unwrap();
    let message = event.message.unwrap();
    let data = message.get("attachments").and_then(|a| a.get("data")).unwrap().items().to_vec();
    assert_eq!(data.len(), 5);
    assert!(text(&data[0], &["image_data", "url"]).unwrap().ends_with("photo.jpg"), "escaped \\/ read as /");
    assert!(text(&data[1], &["video_data", "url"]).unwrap().ends_with("clip.mp4"));
    assert!(text(&data[2], &["file_url"]).unwrap().ends_with("voice.mp4"));
    assert!(text(&data[3], &["file_url"]).unwrap().ends_with("invoice.pdf"));
    assert_eq!(text(&data[4], &["type"]), Some("sticker"));
    assert_eq!(text(&data[4], &["sticker_id"]), Some("369239263222822"), "a numeric id as text");
}

#[test]
fn an_echo_is_the_accounts_own_message_and_its_customer_is_the_recipient() {
    let [event] = events("messenger_echo_metadata.json").try_into().unwrap();
    assert_eq!(event.kind, EventKind::Echo);
    assert_eq!(event.customer_id, "5120094478812093");
    let message = event.message.unwrap();
    assert_eq!(text(&message, &["metadata"]), Some("ticket-42"));
    assert_eq!(text(&message, &["from", "id"]), Some("104620945892041"));
}

#[test]
fn edits_reactions_reads_and_deliveries() {
    let list = events("messenger_edit_reaction_read_delivery.json");
    let kinds: Vec<_> = list.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Edit, EventKind::Reaction, EventKind::Read, EventKind::Delivery]);
    assert_eq!((list[0].text.as_deref(), list[0].edit_count), (Some("Is the red one in stock?"), Some(1)));
    let reaction = list[1].reaction.as_ref().unwrap();
    assert_eq!(
        (reaction.action.as_str(), reaction.reaction.as_deref(), reaction.emoji.as_deref()),
        ("react", Some("love"), Some("❤️"))
    );
    assert_eq!(list[2].watermark, Some(1_764_921_800_000.0));
    assert_eq!((list[3].mid.as_deref(), list[3].watermark), (Some("m_echo_0001"), Some(1_764_921_800_000.0)));
    assert!(list.iter().all(|e| e.customer_id == "5120094478812093"));
}

#[test]
fn postbacks_referrals_standby_and_unknown_kinds_are_kept_in_order() {
    let list = events("messenger_postback_referral_standby_unknown.json");
    let kinds: Vec<_> = list.iter().map(|e| (e.kind, e.standby)).collect();
    assert_eq!(
        kinds,
        [
            (EventKind::Postback, false),
            (EventKind::Referral, false),
            (EventKind::Unknown, false),
            (EventKind::Message, true),
            (EventKind::Reaction, false),
        ]
    );
    assert_eq!(text(&list[2].raw, &["optin", "payload"]), Some("DEALS"), "an unknown kind keeps its raw item");
    assert_eq!(list[0].mid.as_deref(), Some("m_postback_0001"));
    assert_eq!(list[4].reaction.as_ref().map(|r| r.action.as_str()), Some("unreact"));
}

#[test]
fn instagram_shares_stories_reels_and_unsupported() {
    let list = events("instagram_message_share_story.json");
    assert!(list.iter().all(|e| e.platform == Platform::Instagram && e.account_id == "17841400000000001"));
    assert!(list.iter().all(|e| e.customer_id == "6234110987654321"));
    let messages: Vec<Value> = list.into_iter().map(|e| e.message.unwrap()).collect();
    let post = &messages[1].get("attachments").and_then(|a| a.get("data")).unwrap().items()[0];
    assert_eq!(
        (text(post, &["type"]), text(post, &["ig_post_media_id"])),
        (Some("ig_post"), Some("18031231231231231"))
    );
    assert_eq!(text(&messages[2], &["story", "reply_to", "id"]), Some("18074819347285670"));
    assert!(text(&messages[3], &["story", "mention", "link"]).is_some());
    let reel = &messages[4].get("attachments").and_then(|a| a.get("data")).unwrap().items()[0];
    assert_eq!(text(reel, &["type"]), Some("ig_reel"));
    assert_eq!(messages[5].get("is_unsupported"), Some(&Value::Bool(true)));
}

#[test]
fn instagram_unsends_seen_echoes_and_odd_times() {
    let list = events("instagram_unsend_seen_echo_reaction.json");
    let kinds: Vec<_> = list.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Delete, EventKind::Read, EventKind::Echo, EventKind::Reaction, EventKind::Edit]);
    assert!(list[0].message.is_none());
    assert!(list[1].mid.is_some() && list[1].watermark.is_none());
    assert_eq!(list[2].customer_id, "6234110987654321", "an echo's customer is its recipient");
    assert_eq!(list[4].timestamp, 1_764_922_204_000.0, "seconds become milliseconds");
    assert_eq!(list[4].edit_count, Some(2), "num_edit as a string");
}

#[test]
fn the_changes_form_is_read_like_messaging_and_other_changes_are_unknown() {
    let list = events("instagram_changes_test.json");
    assert_eq!(list.iter().map(|e| e.kind).collect::<Vec<_>>(), [EventKind::Message, EventKind::Unknown]);
    assert_eq!(list[0].timestamp, 1_764_922_300_000.0);
    assert_eq!(text(list[0].message.as_ref().unwrap(), &["message"]), Some("random_text"));
}

#[test]
fn a_body_that_is_not_a_webhook_is_a_decode_error() {
    for body in [
        serde_json::json!([]),
        serde_json::json!({"entry": []}),
        serde_json::json!({"object": "whatsapp_business_account", "entry": []}),
        serde_json::json!({"object": "page"}),
    ] {
        let err = parse(&body).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Decode, "{body}");
        assert!(err.to_string().contains("not a Messenger or Instagram webhook"), "{err}");
    }
}

#[test]
fn huge_or_deep_bodies_are_refused_before_parsing() {
    let deep = "[".repeat(10_000);
    let err = check_body(deep.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("nested deeper"), "{err}");
    let big = vec![b' '; 10 << 20];
    assert!(check_body(&big).unwrap_err().to_string().contains("larger than any Meta sends"));
    let brackets_in_strings = format!("{{\"text\":\"{}\"}}", "[".repeat(10_000));
    assert!(check_body(brackets_in_strings.as_bytes()).is_ok(), "brackets inside strings do not count");
    assert!(check_body(raw("messenger_attachments.json").as_bytes()).is_ok());
}

#[test]
fn events_round_trip_through_their_value() {
    for name in [
        "messenger_edit_reaction_read_delivery.json",
        "instagram_message_share_story.json",
        "messenger_postback_referral_standby_unknown.json",
    ] {
        for event in events(name) {
            assert_eq!(WebhookEvent::from_value(&event.to_value()).as_ref(), Some(&event), "{name}");
        }
    }
}

#[test]
fn the_json_reader_reads_what_json_parse_reads_and_refuses_the_rest() {
    for text in [
        r#"{"a":[1,-2,3.5,1e3,true,false,null],"b":"\u00e4\ud83d\ude00\/\"\\\n","c":{}}"#,
        "  [ ]  ",
        r#""plain""#,
        "123456789012345",
    ] {
        // serde_json sorts members; the canonical text does too.
        let ours = Value::parse(text, 64).unwrap_or_else(|| panic!("{text}"));
        let theirs: Json = serde_json::from_str(text).unwrap();
        assert_eq!(ours.to_json_text(), Value::read(&theirs, 64).to_json_text(), "{text}");
    }
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01x",
        "01",
        "[1.]",
        "\"\\u+abc\"",
        "\"\\ud800\"",
        "\"a",
        "nul",
        "[1] 2",
        "\"\u{1}\"",
    ] {
        assert_eq!(Value::parse(bad, 64), None, "{bad:?}");
    }
    assert_eq!(Value::parse(&"[".repeat(100), 64), None, "too deep");
    for name in ["messenger_attachments.json", "instagram_message_share_story.json"] {
        let text = raw(name);
        let theirs: Json = serde_json::from_str(&text).unwrap();
        let ours = Value::parse(&text, 64).unwrap();
        assert_eq!(ours.to_json_text(), Value::read(&theirs, 64).to_json_text(), "{name}");
        assert_eq!(ours.members()[0].0, "object", "members keep their order");
    }
}

#[test]
fn numbers_keep_their_decimal_value_in_the_form_js_writes() {
    use crate::core::value::Number;
    let canonical = |text: &str| Number::parse(text).map(|n| n.to_string());
    for (text, expected) in [
        ("0", "0"),
        ("-0", "0"),
        ("-0.0e5", "0"),
        ("1", "1"),
        ("1.0", "1"),
        ("1e0", "1"),
        ("10e-1", "1"),
        ("1E+2", "100"),
        ("-1.25e2", "-125"),
        ("123.4500", "123.45"),
        ("0.5", "0.5"),
        ("0.000001", "0.000001"),
        ("1e-7", "1e-7"),
        ("1.5e-10", "1.5e-10"),
        ("1e20", "100000000000000000000"),
        ("1e21", "1e+21"),
        ("123e20", "1.23e+22"),
        ("1764921600000", "1764921600000"),
        // Every digit kept (JS would round to 17), and no limit to a double's range.
        ("12345678901234567890123", "1.2345678901234567890123e+22"),
        ("1e400", "1e+400"),
    ] {
        assert_eq!(canonical(text).as_deref(), Some(expected), "{text}");
        // What JS writes for a number is its own canonical text.
        assert_eq!(canonical(expected).as_deref(), Some(expected), "{expected}");
    }
    for bad in ["", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "1-2", "--1", "1.5.5", "NaN", "Infinity"] {
        assert_eq!(Number::parse(bad), None, "{bad:?}");
    }
    // 1, 1.0 and 1e0 are one value: equal, and one canonical text.
    let one = |t: &str| Value::parse(&format!("{{\"n\":{t}}}"), 4).unwrap();
    assert_eq!(one("1"), one("1.0"));
    assert_eq!(one("1e0").to_json_text(), r#"{"n":1}"#);
    assert_ne!(one("1"), one("1.5"));
    assert!(one("1.0").same_as(&one("1")));
}

#[test]
fn numbers_read_as_doubles_without_the_float_parser() {
    use crate::core::value::Number;
    let f = |text: &str| Number::parse(text).unwrap().as_f64();
    for (text, expected) in [
        ("0", 0.0),
        ("-7", -7.0),
        ("1764921600000", 1_764_921_600_000.0),
        ("9007199254740993", 9_007_199_254_740_992.0),
        ("0.1", 0.1),
        ("3.5", 3.5),
        ("-2.25e-3", -0.002_25),
        ("52.520008", 52.520_008),
        ("13.404954", 13.404_954),
        ("1e22", 1e22),
    ] {
        assert_eq!(f(text), expected, "{text}");
    }
    assert_eq!(f("1e400"), f64::INFINITY);
    assert_eq!(f("1e-400"), 0.0);
    // Beyond the exact path: within a few units in the last place.
    for (text, expected) in [("0.30000000000000000000000001", 0.3), ("1.2345e300", 1.2345e300), ("2.5e-300", 2.5e-300)]
    {
        let got = f(text);
        assert!((got - expected).abs() <= 4.0 * f64::EPSILON * expected, "{text}: {got}");
    }
    assert_eq!(Number::parse("42").unwrap().as_i64(), Some(42));
    assert_eq!(Number::parse("4.2").unwrap().as_i64(), None);
    assert_eq!(Number::whole(1_764_921_600_000.9).to_string(), "1764921600000");
    assert_eq!(Number::whole(f64::NAN).to_string(), "0");
}

#[test]
fn parsed_text_and_parsed_values_give_the_same_events() {
    for name in [
        "messenger_attachments.json",
        "messenger_edit_reaction_read_delivery.json",
        "instagram_message_share_story.json",
        "messenger_postback_referral_standby_unknown.json",
        "messenger_text_quick_reply_reply_to.json",
    ] {
        let text = raw(name);
        let body = Value::parse(&text, crate::core::webhook::MAX_DEPTH).unwrap();
        // serde_json sorts members, so the canonical texts are compared.
        let texts = |list: Vec<WebhookEvent>| list.iter().map(|e| e.to_value().to_json_text()).collect::<Vec<_>>();
        assert_eq!(texts(crate::core::webhook::parse_value(&body).unwrap()), texts(events(name)), "{name}");
    }
}

#[test]
fn the_text_for_js_is_each_event_with_its_raw_item_in_ascii() {
    for name in [
        "messenger_attachments.json",
        "messenger_edit_reaction_read_delivery.json",
        "instagram_message_share_story.json",
        "messenger_postback_referral_standby_unknown.json",
    ] {
        let text = raw(name);
        let body = Borrowed::parse(&text, crate::core::webhook::MAX_DEPTH).unwrap();
        for (event, item) in crate::core::webhook::parse_items(&body).unwrap() {
            let item = item.to_value(64);
            let mut out = String::new();
            event.write_json(&item, &mut out);
            assert!(out.is_ascii(), "{out}");
            let written = Value::parse(&out, 80).unwrap();
            let mut expected = event.to_value();
            expected.set("raw", item.clone());
            assert_eq!(written.to_json_text(), expected.to_json_text(), "{name}");
            // Members in the order to_value gives them, raw as received.
            let keys: Vec<&str> = written.members().iter().map(|(k, _)| k.as_str()).collect();
            let order: Vec<&str> = expected.members().iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(keys, order);
            assert_eq!(written.get("raw"), Some(&item));
        }
    }
}

#[test]
fn a_repeated_key_keeps_its_last_value_where_it_first_stood_as_json_parse_does() {
    let value = Value::parse(r#"{"a":1,"b":2,"a":3}"#, 4).unwrap();
    assert_eq!(value.to_json_text(), r#"{"a":3,"b":2}"#);
    assert_eq!(value.members()[0].0, "a");
    // Past the size where keys are searched one by one, too.
    let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
    let text = format!("{{{},\"k7\":\"last\",\"k70\":null}}", many.join(","));
    let value = Value::parse(&text, 4).unwrap();
    assert_eq!(value.members().len(), 100);
    assert_eq!(value.get("k7"), Some(&Value::text("last")));
    assert_eq!(value.get("k70"), Some(&Value::Null));
    assert_eq!(value.members()[7].0, "k7");
}

#[test]
fn a_large_object_with_repeats_reads_as_json_parse_and_serde_json_read_it() {
    // 10,000 members over 2,500 keys, repeated in a scrambled order (some
    // among the first 32 members, some only later), each value its index.
    let keys: Vec<String> = (0..10_000u64).map(|i| format!("k{}", (i * 7_919 + i / 97) % 2_500)).collect();
    let text =
        format!("{{{}}}", keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect::<Vec<_>>().join(","));
    // JSON.parse: each key where it first stood, with its last value.
    let mut expected: Vec<(String, usize)> = Vec::new();
    let mut place = std::collections::BTreeMap::<String, usize>::new();
    for (i, k) in keys.iter().enumerate() {
        match place.get(k) {
            Some(&at) => expected[at].1 = i,
            None => {
                place.insert(k.clone(), expected.len());
                expected.push((k.clone(), i));
            }
        }
    }
    assert!(expected.len() > 2_000 && expected.len() < 10_000);
    let value = Value::parse(&text, 4).unwrap();
    let got: Vec<(&str, String)> = value.members().iter().map(|(k, v)| (k.as_str(), v.to_json_text())).collect();
    let want: Vec<(&str, String)> = expected.iter().map(|(k, i)| (k.as_str(), i.to_string())).collect();
    assert_eq!(got, want);
    // serde_json keeps the last value too (its map sorts the keys: canonical texts compared).
    let serde: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(value.to_json_text(), serde_json::to_string(&serde).unwrap());
    // The borrowing parser merges the same way.
    let borrowed = Borrowed::parse(&text, 4).unwrap();
    assert_eq!(borrowed.to_value(4), value);
}

#[test]
fn each_item_is_found_where_it_stands_in_the_body() {
    for name in [
        "messenger_attachments.json",
        "instagram_changes_test.json",
        "messenger_postback_referral_standby_unknown.json",
        "instagram_message_share_story.json",
    ] {
        let text = raw(name);
        let body = Borrowed::parse(&text, crate::core::webhook::MAX_DEPTH).unwrap();
        let items = crate::core::webhook::parse_items(&body).unwrap();
        assert!(!items.is_empty(), "{name}");
        for (event, item) in items {
            let range = item.span().unwrap_or_else(|| panic!("{name}: an item with no place"));
            let own = &text[range];
            assert!(own.starts_with('{') && own.ends_with('}'), "{own}");
            assert_eq!(Value::parse(own, 64), Some(item.to_value(64)), "{name}");
            // Written with its own text, the event says what it says written from its value.
            let (mut a, mut b) = (String::new(), String::new());
            event.write_json_raw_text(own, &mut a);
            event.write_json(&item.to_value(64), &mut b);
            assert_eq!(Value::parse(&a, 80), Value::parse(&b, 80), "{name}");
        }
    }
    // Strings without escapes and numbers are slices of the text; spans are byte ranges.
    let text = r#"{"a":{"b":[1.50,"x\"y"]},"d":"plain"}"#;
    let body = Borrowed::parse(text, 8).unwrap();
    assert_eq!(body.span(), Some(0..text.len()));
    assert_eq!(body.get("a").and_then(Borrowed::span).map(|r| &text[r]), Some(r#"{"b":[1.50,"x\"y"]}"#));
    assert!(matches!(body.get("d"), Some(Borrowed::String(Cow::Borrowed("plain")))));
    let list = body.get("a").unwrap().get("b").unwrap().items();
    assert_eq!(list[0], Borrowed::Number("1.50"));
    assert_eq!(list[1].as_str(), Some("x\"y"));
    assert_eq!(body.to_value(8), Value::parse(text, 8).unwrap());
    assert_eq!(Borrowed::of(&body.to_value(8)).to_value(8), body.to_value(8));
    for bad in ["01", "[1.]", "{\"a\" 1}", "\"\\ud800\""] {
        assert_eq!(Borrowed::parse(bad, 8), None, "{bad}");
    }
}

#[test]
fn the_graph_node_keeps_its_members_in_the_graphs_order_whichever_way_the_webhook_put_them() {
    // An image that is a sticker, a payload with its own `type`, a legacy
    // sticker id beside them, a story mentioned and a story replied to: the
    // node for JS and the owned event's node, member by member.
    let body = r#"{"object":"instagram","entry":[{"id":"17841400000000001","time":1764921600000,"messaging":[
        {"sender":{"id":"9000001"},"recipient":{"id":"17841400000000001"},"timestamp":1764921600000,
         "message":{"mid":"m_1","text":"caf\u00e9 \ud83d\ude00",
           "attachments":[
             {"type":"image","payload":{"url":"https:\/\/x.test\/a.png","sticker_id":369239263222822}},
             {"type":"share","payload":{"url":"https:\/\/x.test\/s","type":"own","title":"T"}},
             {"type":"story_mention","payload":{"url":"https:\/\/x.test\/m","id":"77"}}],
           "sticker_id":5,
           "reply_to":{"story":{"url":"https:\/\/x.test\/r","id":88}},
           "quick_reply":{"payload":"P","n":[1.50,1e400,{"deep":true}]},"app_id":1517776481860111}}]}]}"#;
    let written = crate::core::webhook::events_json(body).unwrap();
    assert!(written.is_ascii(), "{written}");
    let events = Value::parse(&written, 80).unwrap();
    let message = events.items()[0].get("message").unwrap();
    let keys = |v: &Value| v.members().iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(
        keys(message),
        ["id", "created_time", "from", "to", "message", "attachments", "story", "quick_reply", "app_id"]
    );
    assert_eq!(text(message, &["message"]), Some("café 😀"));
    let data = message.get("attachments").and_then(|a| a.get("data")).unwrap().items();
    // The sticker image: `type` first, its sticker id last; no legacy sticker added.
    assert_eq!(data.len(), 2);
    assert_eq!(keys(&data[0]), ["type", "image_data", "sticker_id"]);
    assert_eq!(text(&data[0], &["type"]), Some("sticker"));
    assert_eq!(text(&data[0], &["sticker_id"]), Some("369239263222822"));
    assert_eq!(text(&data[0], &["image_data", "preview_url"]), Some("https://x.test/a.png"));
    // The payload's own `type` in the attachment's place, its fields after.
    assert_eq!(keys(&data[1]), ["type", "url", "title"]);
    assert_eq!(text(&data[1], &["type"]), Some("own"));
    // The story replied to wins over the one mentioned.
    assert_eq!(text(message, &["story", "reply_to", "link"]), Some("https://x.test/r"));
    assert_eq!(text(message, &["story", "reply_to", "id"]), Some("88"));
    assert_eq!(message.get("quick_reply").unwrap().to_json_text(), r#"{"n":[1.5,1e+400,{"deep":true}],"payload":"P"}"#);
    // The owned event says the same, member for member.
    let owned = crate::core::webhook::parse_value(&Value::parse(body, 64).unwrap()).unwrap();
    assert_eq!(owned[0].message.as_ref(), Some(message));
    // Without the sticker image, the legacy sticker id is an attachment of its own, last.
    let legacy = body.replace(r#""sticker_id":369239263222822"#, r#""x":1"#);
    let events = Value::parse(&crate::core::webhook::events_json(&legacy).unwrap(), 80).unwrap();
    let data = events.items()[0].get("message").and_then(|m| m.get("attachments")).and_then(|a| a.get("data"));
    let data = data.unwrap().items();
    assert_eq!(data.len(), 3);
    assert_eq!(data[2].to_json_text(), r#"{"sticker_id":"5","type":"sticker"}"#);
    assert_eq!(keys(&data[0]), ["type", "image_data"]);
}

#[test]
fn a_numeric_id_past_the_exact_integers_of_a_js_number_keeps_the_bodys_digits() {
    // A sticker id sent as a JSON number too long for an f64 (and for a
    // u64): the event says the body's digits, not a rounding of them.
    let body = r#"{"object":"page","entry":[{"id":"104620945892041","time":1764921600123,"messaging":[
        {"sender":{"id":"5120094478812093"},"recipient":{"id":"104620945892041"},"timestamp":1764921700000,
         "message":{"mid":"m_1","attachments":[
           {"type":"sticker","payload":{"url":"https:\/\/x.test\/s.png","sticker_id":36929007199254740991}}]}}]}]}"#;
    let events = Value::parse(&crate::core::webhook::events_json(body).unwrap(), 80).unwrap();
    let data = events.items()[0].get("message").and_then(|m| m.get("attachments")).and_then(|a| a.get("data"));
    assert_eq!(text(&data.unwrap().items()[0], &["sticker_id"]), Some("36929007199254740991"));
    let owned = crate::core::webhook::parse_value(&Value::parse(body, 64).unwrap()).unwrap();
    let data = owned[0].message.as_ref().and_then(|m| m.get("attachments")).and_then(|a| a.get("data"));
    assert_eq!(text(&data.unwrap().items()[0], &["sticker_id"]), Some("36929007199254740991"));
}
