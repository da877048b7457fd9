//! The fuzz targets: each builds an input and a check that runs it
//! through one part of the core or the client and asserts what must hold.

#![allow(clippy::wildcard_imports)]

use super::corpus::*;
use super::generator::*;
use super::prelude::*;

// ---------------------------------------------------------------------------
// Checks shared by the targets

/// Two values that serialise alike, numbers within a rounding of each
/// other: serde_json (without its `float_roundtrip` feature) may read a
/// float it wrote one unit in the last place off.
pub(super) fn assert_same<T: serde::Serialize>(a: &T, b: &T) {
    pub(super) fn close(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
                x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
            }
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
            }
            (x, y) => x == y,
        }
    }
    let (a, b) = (serde_json::to_value(a).expect("serialises"), serde_json::to_value(b).expect("serialises"));
    assert!(close(&a, &b), "read back differently:\n{a}\n{b}");
}
// ---------------------------------------------------------------------------

/// An error the client hands out: its text and `Debug` hold no secret
/// (the client redacts; for the core's own errors, `redact` must).
pub(super) fn assert_no_secret(err: &Error, secrets: &[&str]) {
    let shown = err.to_string();
    let debug = format!("{err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "a secret in the error text: {shown}");
        assert!(!debug.contains(secret), "a secret in the error's Debug: {debug}");
    }
    let _ = (err.kind().as_str(), err.transient(), err.status(), err.retry_after_ms(), err.graph());
}

pub(super) fn is_page(value: &Value, node: Node) -> bool {
    value.is_object()
        && value.get("data").and_then(Value::as_array).is_some_and(|items| items.iter().all(|item| is_node(item, node)))
        && value.get("paging").is_none_or(|p| {
            p.is_null()
                || p.is_object()
                    && p.get("cursors").filter(|c| !c.is_null()).is_none_or(|c| {
                        ["before", "after"].iter().all(|k| c.get(k).is_none_or(|v| v.is_string() || v.is_null()))
                    })
        })
}

pub(super) fn is_node(value: &Value, node: Node) -> bool {
    value.is_object()
        && value.get("id").is_some_and(Value::is_string)
        && (node == Node::Message
            || value.get("messages").filter(|m| !m.is_null()).is_none_or(|m| is_page(m, Node::Message)))
}

pub(super) fn whole(value: Option<&Value>) -> Option<i64> {
    let n = value?.as_f64()?;
    (n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15).then_some(n as i64)
}

/// The URL of a request the client sent: on its path, no secret in it.
pub(super) fn assert_sent_to(client: &Client<ScriptedTransport>, input: &Input, path: &str) {
    let prefix = format!("{BASE_URL}/{}", input.config().api_version);
    // Once, not once a request: it reads every answer.
    let secrets = input.unechoed_secrets();
    for sent in client.transport().sent() {
        let url_path = sent.url.split('?').next().unwrap_or("");
        assert_eq!(url_path, format!("{prefix}{path}"), "sent to {}", sent.url);
        for secret in &secrets {
            assert!(!sent.url.contains(secret), "a secret in {}", sent.url);
        }
    }
}

// ---------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------

/// An input, and the checks to run on it.
pub(super) type Case = (Input, Box<dyn FnOnce(&Input)>);

pub(super) type Target = fn(&mut Generator) -> Case;

/// `read_response` with any status, headers and body.
pub(super) fn read_response_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let answer = &input.answers[0];
            let headers = answer.response_headers();
            let usage = UsageValues::<Value>::parse(&headers);
            let body = answer.body();
            let (is_json, error_object) = match &body {
                Body::Json(v) => (true, v.get("error").is_some_and(Value::is_object)),
                Body::Text(_) => (false, false),
            };
            let status = answer.status;
            let ok_status = (200..300).contains(&status);
            let wait = wait_ms(&usage, headers.retry_after.as_deref());
            match read_response(HttpResponse { status, headers: headers.clone(), body }, &usage) {
                Ok(json) => {
                    assert!(ok_status && is_json && !error_object, "accepted status {status}");
                    assert!(graph_error(&json).is_none());
                }
                Err(err) => {
                    let expected = match (error_object, is_json, ok_status) {
                        (true, _, _) => ErrorKind::Graph,
                        (false, false, true) => ErrorKind::Decode,
                        (false, true, true) => panic!("a 2xx JSON answer was refused: {err}"),
                        (false, _, false) => ErrorKind::Http,
                    };
                    assert_eq!(err.kind(), expected);
                    assert_eq!(err.status(), Some(status));
                    let expected_wait = if expected == ErrorKind::Decode { None } else { wait };
                    assert_eq!(err.retry_after_ms(), expected_wait);
                    if let ErrorDetail::Decode { message, .. } = err.detail() {
                        assert!(message.chars().count() <= 22 + 121, "a long decode message: {message}");
                        assert!(!message.chars().any(char::is_control), "a control character in {message:?}");
                    }
                    assert_no_secret(&input.redactor().redact_error(err.clone()), &input.secrets());
                }
            }
        }),
    )
}

/// The error-body reader on any value.
pub(super) fn graph_error_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let Some(value) = input.answers[0].json() else { return };
            let read = graph_error(&value);
            let error = value.get("error").filter(|e| e.is_object());
            assert_eq!(read.is_some(), error.is_some());
            let (Some(body), Some(error)) = (read, error) else { return };
            match error.get("message").and_then(Value::as_str) {
                Some(message) => assert_eq!(body.message, message),
                None => assert!(!body.message.is_empty()),
            }
            assert_eq!(body.code, whole(error.get("code")));
            assert_eq!(body.subcode, whole(error.get("error_subcode")));
            assert_eq!(body.fbtrace_id.as_deref(), error.get("fbtrace_id").and_then(Value::as_str));
            assert_eq!(body.is_transient, error.get("is_transient").and_then(Value::as_bool));
            for status in [None, Some(input.answers[0].status)] {
                let transient = body.transient(status);
                if let Some(said) = body.is_transient {
                    assert_eq!(transient, said, "is_transient is the Graph's word");
                }
            }
            let err = Error::graph_error(Some(input.answers[0].status), body, None);
            assert_no_secret(&input.redactor().redact_error(err), &input.secrets());
        }),
    )
}

/// `check_page`, `check_node` and `next_cursor` on any value.
pub(super) fn page_target(generator: &mut Generator) -> Case {
    let input = if generator.rng.one_in(2) {
        let mut input = generator.input(0);
        input.answers.push(generator.page());
        input
    } else {
        generator.input(1)
    };
    (
        input,
        Box::new(|input: &Input| {
            let Some(value) = input.answers[0].json() else { return };
            let status = Some(input.answers[0].status);
            for node in [Node::Conversation, Node::Message] {
                match check_page(&value, node, status) {
                    Ok(()) => assert!(is_page(&value, node), "check_page accepted {value}"),
                    Err(err) => {
                        assert!(!is_page(&value, node), "check_page refused a page: {err}");
                        assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, status));
                    }
                }
                match check_node(&value, node, status) {
                    Ok(()) => assert!(is_node(&value, node)),
                    Err(err) => {
                        assert!(!is_node(&value, node), "check_node refused a node: {err}");
                        assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, status));
                    }
                }
            }
            let paging = value.get("paging");
            let has_next = paging.and_then(|p| p.get("next")).and_then(Value::as_str).is_some_and(|n| !n.is_empty());
            let non_empty = value.get("data").and_then(Value::as_array).is_some_and(|d| !d.is_empty());
            let after = paging.and_then(|p| p.get("cursors")).and_then(|c| c.get("after")).and_then(Value::as_str);
            match next_cursor(&value) {
                Ok(Some(cursor)) => {
                    assert!(has_next && non_empty && !cursor.is_empty());
                    assert_eq!(Some(cursor.as_str()), after);
                }
                Ok(None) => assert!(!(has_next && non_empty)),
                Err(err) => {
                    assert!(has_next && non_empty && after.is_none_or(str::is_empty));
                    assert_eq!(err.kind(), ErrorKind::Decode);
                }
            }
        }),
    )
}

/// `CursorWalk` over a run of pages, then the client's `next_page` over
/// the same answers: the walk ends, never repeats a cursor, never leaves
/// its path, and its errors hold no secret.
pub(super) fn walk_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    for _ in 0..1 + generator.rng.below(6) {
        let page = generator.page();
        input.answers.push(page);
    }
    (
        input,
        Box::new(|input: &Input| {
            let start = ["A", "B"].contains(&input.word.as_str()).then(|| input.word.clone());
            let mut walk = CursorWalk::starting_at(start.clone());
            let mut seen: HashSet<String> = start.iter().cloned().collect();
            for answer in &input.answers {
                if walk.done() {
                    break;
                }
                let Some(body) = answer.json() else { continue };
                let next = match next_cursor(&body) {
                    Ok(next) => next,
                    Err(_) => {
                        walk.advance(None).expect("ending a walk cannot fail");
                        assert!(walk.done());
                        continue;
                    }
                };
                match walk.advance(next.clone()) {
                    Ok(()) => match &next {
                        None => assert!(walk.done()),
                        Some(cursor) => {
                            assert!(seen.insert(cursor.clone()), "a repeated cursor was accepted");
                            assert_eq!(walk.after(), Some(cursor.as_str()));
                            assert!(!walk.done());
                        }
                    },
                    Err(err) => {
                        assert!(walk.done());
                        assert_eq!(err.kind(), ErrorKind::Decode);
                        assert!(next.is_some_and(|cursor| seen.contains(&cursor)));
                    }
                }
            }

            let client = input.client();
            let query = ConversationQuery { after: start, ..Default::default() };
            let mut walk = ListWalk::conversations("100200300400500", &query).expect("a valid walk");
            let mut pages = 0;
            for _ in 0..input.answers.len() + 3 {
                match block_on(client.next_page(&mut walk)) {
                    Ok(Some(body)) => {
                        pages += 1;
                        assert!(is_page(&body, Node::Conversation));
                    }
                    Ok(None) => {
                        assert!(walk.done());
                        break;
                    }
                    Err(err) => assert_no_secret(&err, &input.secrets()),
                }
            }
            assert!(pages <= input.answers.len());
            assert_sent_to(&client, input, "/100200300400500/conversations");
        }),
    )
}

/// The usage headers, typed and as a wait.
pub(super) fn usage_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let headers = input.answers[0].response_headers();
            let values = UsageValues::<Value>::parse(&headers);
            for (value, text) in [
                (&values.app, &headers.app_usage),
                (&values.page, &headers.page_usage),
                (&values.business_use_case, &headers.business_use_case_usage),
            ] {
                let parsed =
                    text.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok()).filter(Value::is_object);
                assert_eq!(value, &parsed);
            }
            assert_eq!(
                values.is_empty(),
                values.app.is_none() && values.page.is_none() && values.business_use_case.is_none()
            );
            let usage = Usage::read(&values);
            assert_eq!(usage.app.is_some(), values.app.is_some());
            if let (Some(app), Some(value)) = (&usage.app, &values.app) {
                assert_eq!(app.call_count, value.get("call_count").and_then(Value::as_f64));
            }
            let text = serde_json::to_string(&usage).expect("usage serialises");
            let again = serde_json::from_str::<Usage>(&text).expect("usage reads back");
            assert_same(&again, &usage);
            let retry = headers.retry_after.as_deref();
            let wait = wait_ms(&values, retry);
            assert!(wait != Some(0));
            if let Some(seconds) = retry.and_then(|s| s.trim().parse::<u64>().ok()).filter(|&s| s > 0) {
                assert!(wait >= Some(seconds.saturating_mul(1000)), "Retry-After {seconds} gave {wait:?}");
            }
        }),
    )
}

/// The `Json` helpers over `serde_json::Value`.
pub(super) fn json_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            let text = input.answers[0].text();
            assert_eq!(Value::parse(&text), serde_json::from_str::<Value>(&text).ok());
            let Some(value) = input.answers[0].json() else { return };
            let mut keys: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
            keys.extend(value.entries().into_iter().map(|(k, _)| k));
            for key in &keys {
                // A `null` member reads as absent.
                assert_eq!(
                    Json::get(&value, key),
                    value.as_object().and_then(|o| o.get(key)).filter(|v| !v.is_null()).cloned()
                );
                assert_eq!(str_member(&value, key).as_deref(), value.get(key).and_then(Value::as_str));
                assert_eq!(int_member(&value, key), whole(value.get(key)));
            }
            assert_eq!(value.entries().len(), value.as_object().map_or(0, Map::len));
            let len = value.array_len();
            assert_eq!(len, value.as_array().map(Vec::len));
            for i in 0..len.unwrap_or(0) + 2 {
                assert_eq!(value.at(i), value.as_array().and_then(|a| a.get(i)).filter(|v| !v.is_null()).cloned());
            }
            assert_eq!(Json::string(&value), value.as_str().map(str::to_owned));
            assert_eq!(Json::number(&value), value.as_f64());
            assert_eq!(Json::is_string(&value), value.is_string());
        }),
    )
}

/// The serde models (and the JS-facing query types) from any bytes: no
/// panic, and what is read writes back to the same value. A query read
/// from JSON builds a request that stays on its path.
pub(super) fn models_target(generator: &mut Generator) -> Case {
    let input = generator.input(1);
    (
        input,
        Box::new(|input: &Input| {
            fn round_trip<T>(bytes: &[u8]) -> Option<T>
            where
                T: serde::de::DeserializeOwned + serde::Serialize,
            {
                let read: T = serde_json::from_slice(bytes).ok()?;
                let text = serde_json::to_string(&read).expect("a model serialises");
                let again: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text} does not read back: {e}"));
                assert_same(&again, &read);
                Some(read)
            }
            let bytes = &input.answers[0].text;
            round_trip::<Page<Conversation>>(bytes);
            round_trip::<Conversation>(bytes);
            round_trip::<Page<Message>>(bytes);
            round_trip::<Message>(bytes);
            round_trip::<Participant>(bytes);
            round_trip::<Usage>(bytes);
            round_trip::<Fields>(bytes);
            let config = input.config();
            let page = PageId::new("100200300400500").expect("a valid id");
            if let Some(query) = round_trip::<ConversationQuery>(bytes) {
                if let Ok(request) = crate::core::request::GraphRequest::list_conversations(&page, &query) {
                    let url = request.to_http(&config).url;
                    let path = format!("{BASE_URL}/{}/100200300400500/conversations", config.api_version);
                    assert_eq!(url.split('?').next(), Some(path.as_str()), "{url}");
                    // A query that itself holds the token (a `paging.next` link
                    // passed as `after`) is the caller's; the client refuses to
                    // send it (see `client.rs`), to_http only builds it.
                    let echoed = String::from_utf8_lossy(bytes).contains(&input.token);
                    assert!(echoed || !url.contains(&input.token), "{url}");
                }
            }
            if let Some(query) = round_trip::<MessageQuery>(bytes) {
                let _ = ListWalk::messages("t_1", &query);
            }
        }),
    )
}

/// `get_messages` over batch answers: one result per id, each item a
/// message or an error, no secret in any error.
pub(super) fn batch_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    let most = if generator.rng.one_in(16) { 120 } else { 8 };
    let ids = 1 + generator.rng.below(most);
    for chunk in 0..ids.div_ceil(50) {
        let n = (ids - chunk * 50).min(50);
        let batch = generator.batch(n);
        input.answers.push(batch);
    }
    input.word = ids.to_string();
    (
        input,
        Box::new(|input: &Input| {
            let n: usize = input.word.parse().expect("the id count");
            let ids: Vec<String> = (0..n).map(|i| format!("m_{i}")).collect();
            let client = input.client();
            match block_on(client.get_messages(&ids, None)) {
                Ok(results) => {
                    assert_eq!(results.len(), n);
                    for result in results {
                        match result {
                            Ok(item) => {
                                assert!(is_node(&item, Node::Message), "a batch item that is no message: {item}")
                            }
                            Err(err) => assert_no_secret(&err, &input.secrets()),
                        }
                    }
                }
                Err(err) => assert_no_secret(&err, &input.secrets()),
            }
            assert_sent_to(&client, input, "/");
        }),
    )
}

/// Every client method over one answer: a list is a page, a node a node,
/// an error holds no secret, the request stayed on its path.
pub(super) fn client_target(generator: &mut Generator) -> Case {
    let method = generator.rng.below(5);
    let mut input = generator.input(1);
    input.word = method.to_string();
    (
        input,
        Box::new(|input: &Input| {
            let client = input.client();
            // What a success must be: a page, a node, or (find) a node or nothing.
            enum Shape {
                Page(Node),
                Node(Node),
                Found,
            }
            let (result, path, shape) = match input.word.as_str() {
                "0" => {
                    let query = ConversationQuery::default();
                    (
                        block_on(client.list_conversations("1", &query)),
                        "/1/conversations",
                        Shape::Page(Node::Conversation),
                    )
                }
                "1" => {
                    let query = MessageQuery::default();
                    (block_on(client.list_messages("t_1", &query)), "/t_1/messages", Shape::Page(Node::Message))
                }
                "2" => (block_on(client.get_conversation("t_1", None)), "/t_1", Shape::Node(Node::Conversation)),
                "3" => (block_on(client.get_message("m_1", None)), "/m_1", Shape::Node(Node::Message)),
                _ => {
                    let found = block_on(client.find_conversation("1", "5000000000000001", None, None));
                    (found.map(|c| c.unwrap_or(Value::Null)), "/1/conversations", Shape::Found)
                }
            };
            match (result, shape) {
                (Ok(body), Shape::Page(node)) => assert!(is_page(&body, node), "{body}"),
                (Ok(body), Shape::Node(node)) => assert!(is_node(&body, node), "{body}"),
                (Ok(body), Shape::Found) => assert!(body.is_null() || is_node(&body, Node::Conversation), "{body}"),
                (Err(err), _) => assert_no_secret(&err, &input.secrets()),
            }
            assert_sent_to(&client, input, path);
        }),
    )
}

/// The sync planner driven call by call over any answers, failures and
/// "reduce the amount of data" errors, from any cursor: every call it hands
/// out can be built and stays on its path, it never makes more calls than
/// allowed, and the cursor it writes is one it reads back.
pub(super) fn sync_plan_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    input.sync = generator.sync_options();
    input.concurrency = 1 + generator.rng.below(3);
    input.word = generator.sync_cursor(&input.sync).unwrap_or_default();
    for _ in 0..1 + generator.rng.below(12) {
        let answer = generator.sync_answer();
        input.answers.push(answer);
    }
    (
        input,
        Box::new(|input: &Input| {
            let page = PageId::new(PAGE).expect("a valid id");
            let options = input.sync.clone();
            let cursor = Some(input.word.as_str()).filter(|c| !c.is_empty());
            let mut plan = match SyncPlan::new(page.clone(), options.clone(), cursor) {
                Ok(plan) => plan,
                Err(err) => {
                    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
                    assert!(cursor.is_some() || options.check().is_err(), "fresh plan refused: {err}");
                    return;
                }
            };
            assert!(options.check().is_ok());
            let config = input.config();
            let mut in_flight: Vec<(u64, SyncCall)> = Vec::new();
            for answer in &input.answers {
                while in_flight.len() < input.concurrency {
                    let Some((id, call)) = plan.next_call() else { break };
                    let request = plan
                        .request(&call)
                        .unwrap_or_else(|err| panic!("the plan handed out {call:?}, which cannot be built: {err}"));
                    let path = match &call {
                        SyncCall::Conversations { .. } => format!("/{PAGE}/conversations"),
                        SyncCall::Messages(follow_up) => {
                            assert!(ConversationId::new(follow_up.conversation.as_str()).is_ok());
                            assert!(follow_up.remaining >= 1);
                            format!("/{}/messages", follow_up.conversation)
                        }
                    };
                    assert_eq!(request.path, path);
                    let url = request.to_http(&config).url;
                    assert_eq!(
                        url.split('?').next(),
                        Some(format!("{BASE_URL}/{}{path}", config.api_version).as_str())
                    );
                    in_flight.push((id, call));
                }
                assert!(options.max_requests.is_none_or(|max| plan.calls() <= max));
                if in_flight.is_empty() {
                    assert!(plan.finished() || options.max_requests.is_some_and(|max| plan.calls() >= max));
                    break;
                }
                let (id, call) = in_flight.swap_remove(usize::from(answer.status) % in_flight.len());
                let mut stop = false;
                match answer.status % 10 {
                    0 => plan.failed(id),
                    1 => {
                        let _ = plan.ask_for_less(id);
                    }
                    _ => {
                        let body = answer.json().unwrap_or(Value::Null);
                        let (threads, error) = plan.answered(id, &body);
                        for thread in &threads {
                            let wanted = match &call {
                                SyncCall::Conversations { .. } => options.messages_per_conversation,
                                SyncCall::Messages(follow_up) => follow_up.remaining,
                            };
                            assert!(
                                thread.messages.len() <= wanted as usize,
                                "{} messages for {wanted}",
                                thread.messages.len()
                            );
                            assert_eq!(thread.conversation.is_some(), matches!(call, SyncCall::Conversations { .. }));
                        }
                        if let Some(err) = error {
                            assert_eq!(err.kind(), ErrorKind::Decode);
                            stop = true;
                        }
                    }
                }
                match plan.cursor() {
                    Some(cursor) => {
                        let again = SyncPlan::new(page.clone(), options.clone(), Some(&cursor))
                            .unwrap_or_else(|err| panic!("the plan's own cursor {cursor} is refused: {err}"));
                        assert_eq!(again.cursor().as_deref(), Some(cursor.as_str()));
                    }
                    None => assert!(plan.finished() && in_flight.is_empty()),
                }
                if stop {
                    break;
                }
            }
        }),
    )
}

/// `sync_inbox` over scripted answers: no secret in its errors, a cursor
/// whenever it stopped short, and that cursor accepted by a new sync.
pub(super) fn sync_client_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    input.sync = generator.sync_options();
    input.concurrency = 1 + generator.rng.below(4);
    input.word = generator.sync_cursor(&input.sync).unwrap_or_default();
    for _ in 0..1 + generator.rng.below(10) {
        let answer = if generator.rng.one_in(5) { generator.answer() } else { generator.sync_answer() };
        input.answers.push(answer);
    }
    (
        input,
        Box::new(|input: &Input| {
            let client = input.client();
            let cursor = Some(input.word.as_str()).filter(|c| !c.is_empty());
            let mut reports = 0u32;
            let result = block_on(client.sync_inbox(
                PAGE,
                SyncOptions { concurrency: input.concurrency as u32, ..input.sync.clone() },
                cursor,
                &mut |progress| {
                    reports += 1;
                    assert_eq!(progress.requests, reports);
                },
            ));
            let page = PageId::new(PAGE).expect("a valid id");
            let inbox = match result {
                Ok(inbox) => {
                    assert_eq!(inbox.complete, inbox.cursor.is_none());
                    inbox
                }
                Err(failure) => {
                    assert_no_secret(&failure.error, &input.secrets());
                    match failure.partial {
                        Some(partial) => partial,
                        None => {
                            assert!(client.transport().sent().is_empty(), "sent, but no partial result");
                            return;
                        }
                    }
                }
            };
            assert_eq!(inbox.requests, reports);
            if let Some(cursor) = &inbox.cursor {
                SyncPlan::new(page, input.sync.clone(), Some(cursor))
                    .unwrap_or_else(|err| panic!("the sync's own cursor {cursor} is refused: {err}"));
            }
            let ids: HashSet<&str> = inbox.conversations.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids.len(), inbox.conversations.len(), "a thread listed twice");
            let secrets = input.unechoed_secrets();
            for sent in client.transport().sent() {
                for secret in &secrets {
                    assert!(!sent.url.contains(secret), "a secret in {}", sent.url);
                }
                let path = sent.url.split('?').next().unwrap_or("");
                let path =
                    path.strip_prefix(&format!("{BASE_URL}/{}/", input.config().api_version)).expect("on the base URL");
                let segments: Vec<&str> = path.split('/').collect();
                match segments[..] {
                    [page, "conversations"] => assert_eq!(page, PAGE),
                    [thread, "messages"] => assert!(ConversationId::new(thread).is_ok() && thread != "."),
                    _ => panic!("sent to {}", sent.url),
                }
            }
        }),
    )
}

/// Graph times, the retry policy and the pacer on odd numbers.
pub(super) fn time_and_retry_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(1);
    input.word = match generator.time() {
        Value::String(text) => text,
        other => other.to_string(),
    };
    (
        input,
        Box::new(|input: &Input| {
            let text = &input.word;
            if let Some(seconds) = unix_seconds(text) {
                assert!(
                    text.len() >= 10 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit),
                    "{text:?} read as {seconds}"
                );
                if text.len() == 10 {
                    assert_eq!(seconds.rem_euclid(86_400), 0);
                }
            }
            // The error this answer would give, and what the backoff makes of it.
            let answer = &input.answers[0];
            let headers = answer.response_headers();
            let usage = UsageValues::<Value>::parse(&headers);
            let Err(err) = read_response(HttpResponse { status: answer.status, headers, body: answer.body() }, &usage)
            else {
                return;
            };
            let numbers = answer.text.iter().map(|&b| u64::from(b)).chain([0, 1, 7, u64::MAX]);
            for (i, n) in numbers.take(8).enumerate() {
                let policy = RetryPolicy {
                    max_retries: (n % 12) as u32,
                    base_delay_ms: n.wrapping_mul(997),
                    max_delay_ms: n.wrapping_mul(7919) % 3_600_001,
                };
                let random = [0.0, 0.5, 0.999_999, -1.0, 2.0, f64::NAN, f64::INFINITY][i % 7];
                for retry in [0, 1, 2, 31, 64, 65, u32::MAX] {
                    if let Some(ms) = policy.delay_ms(&err, retry, random) {
                        assert!(err.transient() && retry >= 1 && retry <= policy.max_retries);
                        let asked = err.retry_after_ms().unwrap_or(0);
                        assert!(ms >= asked && ms <= policy.max_delay_ms.max(asked), "waits {ms} ms");
                    }
                }
                let mut pacer = Pacer::new();
                let now = [0.0, 1e12, -5.0, f64::NAN, f64::INFINITY, 1.5][i % 6];
                let rate = [2.0, 1000.0, 1e-300, 0.0, -1.0, f64::NAN, f64::INFINITY, 0.5][(n % 8) as usize];
                let first = pacer.reserve(now, (n % 60) as u32, rate);
                let second = pacer.reserve(now, 1, rate);
                assert!(
                    first >= 0.0 && second >= 0.0 || first.is_nan() || second.is_nan(),
                    "negative wait {first}, {second}"
                );
            }
        }),
    )
}

pub(super) const TARGETS: &[(&str, Target)] = &[
    ("read_response", read_response_target),
    ("graph_error", graph_error_target),
    ("page", page_target),
    ("walk", walk_target),
    ("usage", usage_target),
    ("json", json_target),
    ("models", models_target),
    ("batch", batch_target),
    ("client", client_target),
    ("sync_plan", sync_plan_target),
    ("sync_client", sync_client_target),
    ("time_retry", time_and_retry_target),
    ("webhook", super::live::webhook_target),
    ("signature", super::live::signature_target),
    ("inbox", super::live::inbox_target),
];
