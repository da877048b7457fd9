//! How the core's time grows with its input, run by hand: each line is an
//! input of size n, the best of three runs, and the ratio to the line
//! before. Linear work doubles when n doubles. An inbox fed events from n
//! people does not: each apply groups every thread again (its own ids, the
//! customer index), so n events cost n², and `conversation(id)` renders
//! every conversation to find one.
//!
//! ```text
//! cargo test --profile fuzz --lib fuzz::scaling -- --ignored --nocapture --test-threads 1
//! ```

#![allow(clippy::wildcard_imports)]

use super::prelude::*;
use crate::core::inbox::Inbox;
use crate::core::value::Value as Own;
use crate::core::webhook::parse;

fn best<T>(mut f: impl FnMut() -> T) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    best
}

fn report(name: &str, sizes: &[usize], mut f: impl FnMut(usize) -> f64) {
    let mut last: Option<(usize, f64)> = None;
    for &n in sizes {
        let ms = f(n);
        let ratio =
            last.map_or(String::new(), |(m, t)| format!("  x{:.2} for x{:.0}", ms / t.max(1e-6), n as f64 / m as f64));
        println!("{name:>40} n={n:>8}: {ms:>9.2} ms{ratio}");
        last = Some((n, ms));
    }
}

fn message(i: usize) -> Value {
    json!({"id": format!("m_{i}"), "created_time": "2026-01-01T00:00:00+0000", "message": "hello",
        "from": {"id": "1", "name": "A"}, "to": {"data": [{"id": "2"}]},
        "attachments": {"data": [{"id": "a", "image_data": {"url": "https://x/y.jpg", "width": 1}}]}})
}

#[test]
#[ignore]
fn scaling() {
    let sizes = [1000, 2000, 4000, 8000, 16000];
    report("sync planner: a page of n threads", &sizes, |n| {
        let threads: Vec<Value> = (0..n)
            .map(|i| {
                json!({"id": format!("t_{i}"), "updated_time": "2026-01-01T00:00:00+0000",
                "messages": {"data": [message(i)], "paging": {"cursors": {"after": "A"}, "next": "n"}}})
            })
            .collect();
        let body = json!({"data": threads, "paging": {"cursors": {"after": "B"}, "next": "n"}});
        best(|| {
            let page = PageId::new("100200300400500").unwrap();
            let mut plan = SyncPlan::new(page, SyncOptions::default(), None).unwrap();
            let (id, _) = plan.next_call().unwrap();
            let (threads, _) = plan.answered(id, &body);
            let cursor = plan.cursor();
            (threads.len(), cursor)
        })
    });
    report("sync planner: cursor of n follow-ups", &sizes, |n| {
        let threads: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("t_{i}"), "messages": {"data": [message(i)], "paging": {"cursors": {"after": format!("A{i}")}, "next": "n"}}}))
            .collect();
        let body = json!({"data": threads});
        best(|| {
            let page = PageId::new("100200300400500").unwrap();
            let mut plan = SyncPlan::new(page.clone(), SyncOptions::default(), None).unwrap();
            let (id, _) = plan.next_call().unwrap();
            let _ = plan.answered(id, &body);
            let cursor = plan.cursor().unwrap();
            SyncPlan::new(page, SyncOptions::default(), Some(&cursor)).unwrap().cursor()
        })
    });
    report("models: Page<Message> of n messages", &sizes, |n| {
        let text = json!({"data": (0..n).map(message).collect::<Vec<_>>()}).to_string();
        best(|| {
            let page: Page<Message> = serde_json::from_str(&text).unwrap();
            serde_json::to_string(&page).unwrap()
        })
    });
    report("models: Conversation nested n deep", &[8, 16, 32, 64, 120], |n| {
        let mut inner = json!("x");
        for _ in 0..n {
            inner = json!({"data": [inner]});
        }
        let text = json!({"id": "t", "messages": {"data": [{"id": "m", "attachments": inner}]}}).to_string();
        best(|| serde_json::from_str::<Conversation>(&text).map(|c| serde_json::to_string(&c).unwrap()).ok())
    });
    report("batch: get_messages, 50 bodies of n bytes", &[1000, 4000, 16000, 64000], |n| {
        let body = json!({"id": "m_1", "message": "x".repeat(n)}).to_string();
        let items: Vec<Value> = (0..50).map(|_| json!({"code": 200, "body": body})).collect();
        let text = Value::Array(items).to_string();
        let ids: Vec<String> = (0..50).map(|i| format!("m_{i}")).collect();
        best(|| {
            let client = Client::new(ClientConfig::new("EAAFAKEtoken12345678").unwrap(), ScriptedTransport::new());
            client.transport().answer(Ok(HttpResponse {
                status: 200,
                headers: ResponseHeaders::default(),
                body: text.clone(),
            }));
            block_on(client.get_messages(&ids, None)).map(|r| r.len()).ok()
        })
    });
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/webhooks/messenger_text_quick_reply_reply_to.json"
    ))
    .unwrap();
    let fixture: Value = serde_json::from_str(&fixture).unwrap();
    report("webhook parse: n messaging items", &sizes, |n| {
        let mut body = fixture.clone();
        let item = body["entry"][0]["messaging"][0].clone();
        body["entry"][0]["messaging"] = Value::Array(vec![item; n]);
        best(|| parse(&body).map(|e| e.len()).ok())
    });
    report("webhook parse: one item, raw n wide", &sizes, |n| {
        let mut body = fixture.clone();
        body["entry"][0]["messaging"][0]["extra"] = Value::Array((0..n).map(|i| json!({"k": i})).collect());
        best(|| parse(&body).map(|e| e.len()).ok())
    });
    report("webhook parse: one item, raw n deep", &[8, 16, 32, 60], |n| {
        let mut body = fixture.clone();
        let mut inner = Value::Array((0..2000).map(|i| json!(i)).collect());
        for _ in 0..n {
            inner = json!({"a": inner});
        }
        body["entry"][0]["messaging"][0]["extra"] = inner;
        best(|| parse(&body).map(|e| e.len()).ok())
    });
    report("Value::read: a chain n deep over 2000 leaves", &[4, 8, 16, 32, 64], |n| {
        let mut inner = Value::Array((0..2000).map(|i| json!(i)).collect());
        for _ in 0..n {
            inner = json!({"a": inner});
        }
        best(|| Own::read(&inner, 100))
    });
    let event = |i: usize, customer: usize| {
        let e = json!({"object": "page", "entry": [{"id": "104620945892041", "time": 1, "messaging": [{
            "sender": {"id": format!("5{customer:015}")}, "recipient": {"id": "104620945892041"},
            "timestamp": 1_764_921_600_000u64 + i as u64 * 1000,
            "message": {"mid": format!("m_{i}"), "text": "hi"}}]}]});
        parse(&e).unwrap().remove(0).to_value()
    };
    report("inbox: n events, one thread (cap 200)", &[250, 500, 1000, 2000], |n| {
        let events: Vec<Own> = (0..n).map(|i| event(i, 0)).collect();
        best(|| {
            let mut inbox = Inbox::new("104620945892041", Platform::Messenger, 200);
            for e in &events {
                inbox.apply(e).unwrap();
            }
            inbox.snapshot().len()
        })
    });
    report("inbox: n events, n threads", &[250, 500, 1000, 2000], |n| {
        let events: Vec<Own> = (0..n).map(|i| event(i, i)).collect();
        best(|| {
            let mut inbox = Inbox::new("104620945892041", Platform::Messenger, 200);
            for e in &events {
                inbox.apply(e).unwrap();
            }
            inbox.snapshot().len()
        })
    });
    report("inbox: 1 event into n threads", &[250, 500, 1000, 2000, 4000], |n| {
        let mut inbox = Inbox::new("104620945892041", Platform::Messenger, 200);
        for i in 0..n {
            inbox.apply(&event(i, i)).unwrap();
        }
        let one = event(n + 1, 0);
        best(|| inbox.clone().apply(&one).map(|c| c.messages_added.len()).ok())
    });
    report("inbox: conversation(id) among n", &[250, 500, 1000, 2000, 4000], |n| {
        let mut inbox = Inbox::new("104620945892041", Platform::Messenger, 200);
        for i in 0..n {
            inbox.apply(&event(i, i)).unwrap();
        }
        best(|| inbox.conversation(&format!("5{:015}", 0)).is_some())
    });
}

/// What the webhook target's bodies become: refused, JSON, envelopes,
/// events by kind.
#[test]
#[ignore]
fn webhook_yield() {
    let corpus = super::corpus::Corpus::load();
    let (mut refused, mut json, mut envelopes, mut events) = (0, 0, 0, 0usize);
    let mut kinds = std::collections::BTreeMap::new();
    for i in 0..5000u64 {
        let mut g =
            super::generator::Generator { rng: super::generator::Rng::new(i), corpus: &corpus, strings: Vec::new() };
        let _ = g.input(0);
        let (body, _) = g.webhook_body();
        if crate::core::webhook::check_body(&body).is_err() {
            refused += 1;
            continue;
        }
        let Ok(v) = serde_json::from_slice::<Value>(&body) else { continue };
        json += 1;
        if let Ok(list) = parse(&v) {
            envelopes += 1;
            events += list.len();
            for e in list {
                *kinds.entry(e.kind.as_str()).or_insert(0) += 1;
            }
        }
    }
    println!("5000 bodies: {refused} refused, {json} JSON, {envelopes} envelopes, {events} events: {kinds:?}");
}
