//! Properties of the core under hostile input (proptest): id checks never
//! panic and accept only text that is safe in a URL path, and no id, query,
//! cursor or setting can turn a call into a request to another path or
//! host, put the token in a URL, or lose a parameter on the way.

use crate::test_support::{base64url, percent_decode};

use crate::core::config::*;
use crate::core::error::ErrorKind;
use crate::core::ids::*;
use crate::core::query::*;
use crate::core::request::*;
use crate::core::response::{read_response, Body, HttpResponse};
use crate::core::sync::{SyncOptions, SyncPlan};
use crate::core::usage::{ResponseHeaders, UsageValues};
#[allow(unused_imports)]
use crate::*;
use proptest::prelude::*;
use serde_json::Value;

/// Moderate case counts keep `cargo test` fast in debug builds; failures
/// are not written to a `proptest-regressions/` file next to this one.
fn cases(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Id-shaped text: real ids, ids with one bad character, dots, anything.
fn id_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9_.:=+@!~*'(),;-]{1,24}",
        1 => "[.]{1,3}",
        1 => "[0-9]{500,520}",
        2 => "[A-Za-z0-9_.]{0,8}[/?#&%\\\\ \t\n\\x00\\x7fé.\u{2028}\u{FEFF}][A-Za-z0-9_.]{0,8}",
        2 => any::<String>(),
    ]
}

/// The four id types, built from the same text.
fn all_ids(text: &str) -> [Result<String, crate::Error>; 4] {
    [
        PageId::new(text).map(|id| id.as_str().to_owned()),
        ConversationId::new(text).map(|id| id.as_str().to_owned()),
        MessageId::new(text).map(|id| id.as_str().to_owned()),
        UserId::new(text).map(|id| id.as_str().to_owned()),
    ]
}

/// A field name with an optional modifier, e.g. `messages.limit(20)`.
const FIELD_NAME: &str = "[a-z_]{1,10}(\\.limit\\([0-9]{1,3}\\)|\\.after\\([A-Za-z0-9=_-]{1,12}\\))?";

/// A valid field expansion, nested up to three levels, with white space
/// sprinkled in (which `to_param` removes).
fn expansion() -> impl Strategy<Value = String> {
    let leaf = FIELD_NAME.prop_map(String::from);
    leaf.prop_recursive(3, 24, 4, |inner| {
        (FIELD_NAME, prop::collection::vec(inner, 1..4), any::<bool>()).prop_map(|(name, subs, spaced)| {
            let sep = if spaced { ", " } else { "," };
            format!("{name}{{{}}}", subs.join(sep))
        })
    })
}

fn fields() -> impl Strategy<Value = Fields> {
    prop_oneof![
        3 => prop::collection::vec(expansion(), 1..5).prop_map(Fields::List),
        2 => prop::collection::vec(expansion(), 1..5).prop_map(|list| Fields::Expansion(list.join(" , "))),
        1 => prop::collection::vec(any::<String>(), 0..3).prop_map(Fields::List),
        1 => any::<String>().prop_map(Fields::Expansion),
        1 => "[a-z{}(),.=%&#/ -]{0,24}".prop_map(Fields::Expansion),
    ]
}

fn cursor() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9+/=_-]{1,64}",
        2 => "[!-~]{1,32}",
        1 => any::<String>(),
        1 => Just(String::new()),
    ]
}

fn limit() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..=600, 1 => any::<u32>()]
}

fn platform() -> impl Strategy<Value = Platform> {
    prop_oneof![Just(Platform::Messenger), Just(Platform::Instagram)]
}

fn folder() -> impl Strategy<Value = Folder> {
    prop_oneof![Just(Folder::Inbox), Just(Folder::Other), Just(Folder::PageDone), Just(Folder::Spam)]
}

prop_compose! {
    fn conversation_query()(
        platform in prop::option::of(platform()),
        folder in prop::option::of(folder()),
        user_id in prop::option::of(id_text()),
        fields in prop::option::of(fields()),
        limit in prop::option::of(limit()),
        after in prop::option::weighted(0.4, cursor()),
        before in prop::option::weighted(0.2, cursor()),
    ) -> ConversationQuery {
        ConversationQuery { platform, folder, user_id, fields, limit, after, before }
    }
}

prop_compose! {
    fn message_query()(
        fields in prop::option::of(fields()),
        limit in prop::option::of(limit()),
        after in prop::option::weighted(0.4, cursor()),
        before in prop::option::weighted(0.2, cursor()),
    ) -> MessageQuery {
        MessageQuery { fields, limit, after, before }
    }
}

/// What a client is configured with; realistic secrets, so that finding
/// one in a URL means it was put there.
#[derive(Clone, Debug)]
struct Setup {
    token: String,
    app_secret: Option<String>,
    token_in: TokenIn,
    base_url: String,
    api_version: String,
}

impl Setup {
    fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(self.token.as_str())
            .unwrap()
            .token_in(self.token_in)
            .base_url(&self.base_url)
            .unwrap()
            .api_version(&self.api_version)
            .unwrap();
        if let Some(secret) = &self.app_secret {
            config = config.app_secret(secret).unwrap();
        }
        config
    }
}

prop_compose! {
    fn setup()(
        token in "EAAFAKE[A-Za-z0-9]{16,40}",
        app_secret in prop::option::of("[0-9a-f]{32}"),
        token_in in prop_oneof![Just(TokenIn::Header), Just(TokenIn::Body)],
        base_url in prop_oneof![
            2 => Just("https://graph.facebook.com".to_owned()),
            1 => Just("http://127.0.0.1:8787/".to_owned()),
            2 => "https?://[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,8}){0,2}(:[0-9]{1,5})?(/[A-Za-z0-9._~-]{1,8}){0,2}/?",
        ],
        api_version in "v[0-9]{1,3}\\.[0-9]{1,3}",
    ) -> Setup {
        Setup { token, app_secret, token_in, base_url, api_version }
    }
}

// ---------------------------------------------------------------------------
// Reading a built request back, by hand
// ---------------------------------------------------------------------------

/// `scheme://host` and what follows, split by hand.
fn scheme_and_host(url: &str) -> (&str, &str) {
    let (scheme, rest) = url.split_once("://").expect("an absolute URL");
    (scheme, rest.split('/').next().unwrap_or(""))
}

/// `a=1&b=x%2Cy` back to its pairs; every byte must be unreserved, `,`,
/// or part of a `%XX` escape, so nothing in a value can end the query.
fn form_decode(text: &str) -> Vec<(String, String)> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            for part in [name, value] {
                assert!(
                    part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~,%".contains(&b)),
                    "unencoded byte in {part:?}"
                );
            }
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn owned(params: &[(&str, String)]) -> Vec<(String, String)> {
    params.iter().map(|(name, value)| ((*name).to_owned(), value.clone())).collect()
}

/// Checks `http` against what `path` and `params` must produce with
/// `setup`: same scheme and host, exactly `{base}/{version}{path}`, no dot
/// segment a URL parser would fold, no secret in the URL, every parameter
/// back intact, and the token where `token_in` says.
fn check_http(http: &HttpRequest, setup: &Setup, path: &str, params: &[(&str, String)]) {
    let config = setup.config();
    let prefix = format!("{}/{}/", config.base_url, config.api_version);
    assert!(http.url.starts_with(&prefix), "{} does not start with {prefix}", http.url);
    assert_eq!(scheme_and_host(&http.url), scheme_and_host(&config.base_url), "{}", http.url);
    assert!(http.url.bytes().all(|b| b.is_ascii_graphic() && b != b'#' && b != b'\\'), "{:?}", http.url);
    let (url_path, query) = match http.url.split_once('?') {
        Some((url_path, query)) => (url_path, Some(query)),
        None => (http.url.as_str(), None),
    };
    assert_eq!(url_path, format!("{}/{}{path}", config.base_url, config.api_version));
    // A URL parser folds `.` and `..` segments (fetch does), which would
    // send the call somewhere else than the path above says.
    for segment in url_path[prefix.len() - 1..].split('/').skip(1) {
        assert!(segment != "." && segment != "..", "dot segment in {url_path:?}");
    }
    for secret in config.secrets().iter() {
        assert!(!http.url.contains(secret), "a secret in {}", http.url);
    }
    let mut expected = owned(params);
    if let Some(proof) = &config.appsecret_proof {
        expected.push(("appsecret_proof".into(), proof.clone()));
    }
    let authorization = http.headers.iter().find(|(name, _)| *name == "Authorization");
    match setup.token_in {
        TokenIn::Header => {
            assert_eq!(http.method, Method::Get);
            assert_eq!(authorization.map(|(_, v)| v.as_str()), Some(format!("Bearer {}", setup.token).as_str()));
            assert_eq!(http.body, None);
            assert_eq!(form_decode(query.unwrap_or("")), expected);
            if query.is_some() {
                assert!(!expected.is_empty(), "a '?' with nothing after it");
            }
        }
        TokenIn::Body => {
            assert_eq!(http.method, Method::Post);
            assert_eq!(query, None, "a form POST carries its parameters in the body");
            assert!(authorization.is_none());
            expected.push(("method".into(), "GET".into()));
            expected.push(("access_token".into(), setup.token.clone()));
            assert_eq!(form_decode(http.body.as_deref().expect("a form body")), expected);
        }
    }
}

/// `fields` as the Graph gets it: joined with `,`, white space removed.
fn compact(fields: &Fields) -> String {
    let joined = match fields {
        Fields::List(names) => names.join(","),
        Fields::Expansion(text) => text.clone(),
    };
    joined.chars().filter(|c| !c.is_whitespace()).collect()
}

fn paging_params(limit: Option<u32>, after: &Option<String>, before: &Option<String>) -> Vec<(&'static str, String)> {
    let mut params = Vec::new();
    params.extend(limit.map(|n| ("limit", n.to_string())));
    params.extend(after.clone().map(|c| ("after", c)));
    params.extend(before.clone().map(|c| ("before", c)));
    params
}

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(512))]

    /// What `check_id` promises: every id type accepts the same text, and
    /// only non-empty ASCII of `[A-Za-z0-9_-.:=+@!~*'(),;]`, at most
    /// `MAX_ID_LEN` long, without `..`; the error never repeats the text.
    #[test]
    fn ids_accept_only_url_safe_text(text in id_text()) {
        let results = all_ids(&text);
        for result in &results {
            prop_assert_eq!(result.is_ok(), results[0].is_ok());
        }
        match &results[0] {
            Ok(id) => {
                prop_assert_eq!(id, &text);
                prop_assert!(!text.is_empty() && text.len() <= MAX_ID_LEN);
                prop_assert!(!text.contains(".."));
                for c in text.chars() {
                    prop_assert!(c.is_ascii_alphanumeric() || "_-.:=+@!~*'(),;".contains(c), "{:?}", c);
                    prop_assert!(!"/?#&%\\".contains(c) && !c.is_whitespace() && !c.is_control());
                }
            }
            Err(_) => {
                for (result, what) in results.iter().zip(["page id", "conversation id", "message id", "user id"]) {
                    let err = result.as_ref().unwrap_err();
                    prop_assert_eq!(err.kind(), ErrorKind::InvalidArgument);
                    let message = err.to_string();
                    prop_assert!(message.starts_with(&format!("invalid {what}: ")), "{}", message);
                    if text.chars().count() >= 12 {
                        prop_assert!(!message.contains(text.as_str()), "the error repeats the value: {}", message);
                    }
                }
            }
        }
    }

    /// Parsing the JS-facing enums and checking cursors and fields never
    /// panics, and accepts only what the Graph can take.
    #[test]
    fn query_values_are_checked_without_panicking(text in any::<String>(), fields in fields()) {
        if let Ok(platform) = Platform::parse(&text) {
            prop_assert_eq!(platform.as_str(), text.to_ascii_lowercase());
        }
        if let Ok(folder) = Folder::parse(&text) {
            prop_assert_eq!(folder.as_str(), text.to_ascii_lowercase());
        }
        if let Ok(token_in) = TokenIn::parse(&text) {
            prop_assert!(matches!((token_in, text.as_str()), (TokenIn::Header, "header") | (TokenIn::Body, "body")));
        }
        if check_cursor("after", &text).is_ok() {
            prop_assert!(!text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic()));
        }
        if let Ok(param) = fields.to_param() {
            prop_assert_eq!(&param, &compact(&fields));
            prop_assert!(!param.is_empty());
            prop_assert!(param.chars().all(|c| c.is_ascii_alphanumeric() || "_,.{}()-=%".contains(c)), "{}", param);
        }
    }
}

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

fn url_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "(https?|ftp|HTTPS)://[a-z0-9.:@?#/\\\\%_ -]{0,20}/?",
        1 => "https?://[!-~]{0,24}",
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(cases(1000))]

    /// `base_url` takes only an http(s) URL without user info, query or
    /// fragment, and keeps it as given minus trailing slashes.
    #[test]
    fn base_url_accepts_only_a_plain_http_url(text in url_text()) {
        let Ok(config) = ClientConfig::new("EAAG-test-page-token").unwrap().base_url(&text) else { return Ok(()) };
        let url = config.base_url;
        prop_assert_eq!(url.as_str(), text.trim_end_matches('/'));
        prop_assert!(url.starts_with("https://") || url.starts_with("http://"), "{}", url);
        prop_assert!(!url.ends_with('/'));
        let (_, host) = scheme_and_host(&url);
        prop_assert!(!host.is_empty() && !host.contains('@'), "{}", url);
        prop_assert!(url.bytes().all(|b| b.is_ascii_graphic() && !b"?#\\".contains(&b)), "{}", url);
    }

    /// `api_version` takes only `v<1-3 digits>.<1-3 digits>`.
    #[test]
    fn api_version_accepts_only_a_version(text in prop_oneof!["v[0-9]{0,4}\\.[0-9]{0,4}", "v[0-9./a-z]{0,8}", any::<String>()]) {
        if let Ok(config) = ClientConfig::new("EAAG-test-page-token").unwrap().api_version(&text) {
            let (major, minor) = text[1..].split_once('.').unwrap();
            for part in [major, minor] {
                prop_assert!((1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()), "{}", text);
            }
            prop_assert_eq!(config.api_version, text);
        }
    }

    /// The numeric settings take only whole numbers in their range (and a
    /// finite rate), whatever JS passes: NaN, infinities, fractions.
    #[test]
    fn numeric_settings_are_checked(value in prop_oneof![any::<f64>(), -2.0f64..700_000.0, Just(f64::NAN), Just(f64::INFINITY)]) {
        let config = || ClientConfig::new("EAAG-test-page-token").unwrap();
        let whole = value.is_finite() && value.fract() == 0.0;
        if let Ok(c) = config().timeout_ms(value) {
            prop_assert!(whole && (1.0..=600_000.0).contains(&value) && c.timeout_ms as f64 == value);
        }
        if let Ok(c) = config().max_retries(value) {
            prop_assert!(whole && (0.0..=10.0).contains(&value) && f64::from(c.max_retries) == value);
        }
        if let Ok(c) = config().retry_delay_ms(value) {
            prop_assert!(whole && (0.0..=600_000.0).contains(&value) && c.retry_delay_ms as f64 == value);
        }
        if let Ok(c) = config().max_retry_delay_ms(value) {
            prop_assert!(whole && (0.0..=3_600_000.0).contains(&value) && c.max_retry_delay_ms as f64 == value);
        }
        if let Ok(c) = config().calls_per_second(value) {
            prop_assert!(value.is_finite() && (0.0..=1000.0).contains(&value) && c.calls_per_second == value);
        }
    }

    /// A token or app secret is accepted only when it can travel in a
    /// header, and the error never repeats it.
    #[test]
    fn secrets_are_checked_without_echo(text in prop_oneof!["[!-~]{1,40}", "[A-Za-z0-9]{12,40}[ \t\n\u{e9}][A-Za-z0-9]{0,8}", any::<String>()]) {
        match ClientConfig::new(text.as_str()) {
            Ok(config) => {
                prop_assert!(text.bytes().all(|b| b.is_ascii_graphic()) && !text.is_empty());
                let other = ClientConfig::new("EAAG-test-page-token").unwrap();
                prop_assert_eq!(format!("{config:?}"), format!("{other:?}"), "Debug shows the token");
            }
            Err(err) if text.len() >= 12 => prop_assert!(!err.to_string().contains(&text)),
            Err(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn list_conversations_stays_on_its_path(page in id_text(), query in conversation_query(), setup in setup()) {
        let Ok(page) = PageId::new(page) else { return Ok(()) };
        let Ok(request) = GraphRequest::list_conversations(&page, &query) else { return Ok(()) };
        let path = format!("/{page}/conversations");
        prop_assert_eq!(&request.path, &path);
        let mut params = Vec::new();
        params.extend(query.platform.map(|p| ("platform", p.as_str().to_owned())));
        params.extend(query.user_id.clone().map(|u| ("user_id", u)));
        params.extend(query.folder.map(|f| ("folder", f.as_str().to_owned())));
        params.extend(query.fields.as_ref().map(|f| ("fields", compact(f))));
        params.extend(paging_params(query.limit, &query.after, &query.before));
        check_http(&request.to_http(&setup.config()), &setup, &path, &params);
    }

    #[test]
    fn list_messages_stays_on_its_path(id in id_text(), query in message_query(), setup in setup()) {
        let Ok(id) = ConversationId::new(id) else { return Ok(()) };
        let Ok(request) = GraphRequest::list_messages(&id, &query) else { return Ok(()) };
        let path = format!("/{id}/messages");
        prop_assert_eq!(&request.path, &path);
        let fields = query.fields.as_ref().map_or_else(|| DEFAULT_MESSAGE_FIELDS.to_owned(), compact);
        let mut params = vec![("fields", fields)];
        params.extend(paging_params(query.limit, &query.after, &query.before));
        check_http(&request.to_http(&setup.config()), &setup, &path, &params);
    }

    #[test]
    fn nodes_stay_on_their_path(id in id_text(), fields in prop::option::of(fields()), setup in setup()) {
        if let Ok(id) = ConversationId::new(id.as_str()) {
            if let Ok(request) = GraphRequest::get_conversation(&id, fields.as_ref()) {
                let params: Vec<_> = fields.iter().map(|f| ("fields", compact(f))).collect();
                check_http(&request.to_http(&setup.config()), &setup, &format!("/{id}"), &params);
            }
        }
        if let Ok(id) = MessageId::new(id.as_str()) {
            if let Ok(request) = GraphRequest::get_message(&id, fields.as_ref()) {
                let fields = fields.as_ref().map_or_else(|| DEFAULT_MESSAGE_FIELDS.to_owned(), compact);
                check_http(&request.to_http(&setup.config()), &setup, &format!("/{id}"), &[("fields", fields)]);
            }
        }
    }

    /// The next page is asked for with whatever cursor the Graph sent, which
    /// is not checked: it must still land in the query, intact.
    #[test]
    fn any_next_cursor_stays_in_the_query(id in id_text(), query in message_query(), next in any::<String>(), setup in setup()) {
        let Ok(id) = ConversationId::new(id) else { return Ok(()) };
        let Ok(request) = GraphRequest::list_messages(&id, &query) else { return Ok(()) };
        let fields = query.fields.as_ref().map_or_else(|| DEFAULT_MESSAGE_FIELDS.to_owned(), compact);
        let mut params = vec![("fields", fields)];
        params.extend(paging_params(query.limit, &None, &None));
        params.push(("after", next.clone()));
        check_http(&request.with_after(&next).to_http(&setup.config()), &setup, &format!("/{id}/messages"), &params);
    }
}

proptest! {
    #![proptest_config(cases(128))]

    /// A batch goes to `{base}/{version}/` and nowhere else; each item's
    /// `relative_url` is exactly `{id}?fields=…`; the token is never in the
    /// URL, and in the body only when `token_in` is `Body`. One `fields`
    /// for all items, as `getMessages` sends them.
    #[test]
    fn batches_stay_on_their_paths(
        ids in prop::collection::vec(id_text(), 0..56),
        fields in prop::option::of(fields()),
        setup in setup(),
    ) {
        let requests: Vec<(String, String, GraphRequest)> = ids
            .iter()
            .map(|id| (id, &fields))
            .filter_map(|(id, fields)| {
                let id = MessageId::new(id.as_str()).ok()?;
                let request = GraphRequest::get_message(&id, fields.as_ref()).ok()?;
                let fields = fields.as_ref().map_or_else(|| DEFAULT_MESSAGE_FIELDS.to_owned(), compact);
                Some((id.as_str().to_owned(), fields, request))
            })
            .collect();
        let config = setup.config();
        let graph: Vec<GraphRequest> = requests.iter().map(|(_, _, r)| r.clone()).collect();
        let http = match batch_request(&graph, &config) {
            Ok(http) => http,
            Err(err) => {
                prop_assert!(graph.is_empty() || graph.len() > MAX_BATCH);
                prop_assert_eq!(err.kind(), ErrorKind::InvalidArgument);
                return Ok(());
            }
        };
        prop_assert!((1..=MAX_BATCH).contains(&graph.len()));
        prop_assert_eq!(http.method, Method::Post);
        prop_assert_eq!(&http.url, &format!("{}/{}/", config.base_url, config.api_version));
        for secret in config.secrets().iter() {
            prop_assert!(!http.url.contains(secret));
        }
        let form = form_decode(http.body.as_deref().unwrap());
        let mut names: Vec<&str> = form.iter().map(|(name, _)| name.as_str()).collect();
        let mut expected_names = vec!["batch", "include_headers"];
        if config.appsecret_proof.is_some() {
            expected_names.push("appsecret_proof");
        }
        match setup.token_in {
            TokenIn::Header => {
                prop_assert!(!http.body.as_deref().unwrap().contains(&setup.token));
                let bearer = ("Authorization", format!("Bearer {}", setup.token));
                prop_assert!(http.headers.contains(&bearer), "no Authorization header");
            }
            TokenIn::Body => {
                expected_names.push("access_token");
                prop_assert!(form.contains(&("access_token".into(), setup.token.clone())));
            }
        }
        names.sort_unstable();
        expected_names.sort_unstable();
        prop_assert_eq!(names, expected_names);
        let batch: Value = serde_json::from_str(&form[0].1).expect("batch is JSON");
        let batch = batch.as_array().expect("batch is an array");
        prop_assert_eq!(batch.len(), requests.len());
        for (item, (id, fields, _)) in batch.iter().zip(&requests) {
            prop_assert_eq!(item["method"].as_str(), Some("GET"));
            prop_assert_eq!(item.as_object().map(|o| o.len()), Some(2));
            let relative = item["relative_url"].as_str().expect("relative_url is a string");
            let (path, query) = relative.split_once('?').expect("relative_url has a query");
            prop_assert_eq!(path, id.as_str());
            prop_assert!(path != "." && !path.starts_with('/'), "relative_url {:?}", relative);
            prop_assert_eq!(form_decode(query), vec![("fields".to_owned(), fields.clone())]);
        }
    }
}

// ---------------------------------------------------------------------------
// Found by the properties above
// ---------------------------------------------------------------------------

/// `"."` passes `check_id` (it holds no `..`), but `/{id}` then is a dot
/// segment that every URL parser folds: `GET …/v24.0/.?fields=…` goes to
/// `…/v24.0/?fields=…`, and `/./conversations` to `/v24.0/conversations`,
/// another path than the one asked for.
#[test]
fn a_lone_dot_is_not_an_id() {
    for (what, result) in ["page", "conversation", "message", "user"].into_iter().zip(all_ids(".")) {
        assert!(result.is_err(), "\".\" is accepted as a {what} id, and is a dot segment in /{{id}}");
    }
}

/// The secret a proxy echoes in an error page must not reach the message,
/// even in part: the 120-character snippet is cut before redaction, so a
/// long token that straddles the cut is no longer found whole and its start
/// is shown as is.
#[test]
fn a_token_cut_by_the_snippet_is_still_redacted() {
    let token = format!("EAAFAKE{}", "T0k3n".repeat(40));
    let config = ClientConfig::new(token.as_str()).unwrap();
    let page = format!("<html><body>Bad gateway: upstream refused access_token={token}</body></html>");
    let headers = ResponseHeaders { content_type: Some("text/html".into()), ..Default::default() };
    let usage = UsageValues::<Value>::parse(&headers);
    let err =
        read_response(HttpResponse { status: 502, headers, body: Body::<Value>::Text(page) }, &usage).unwrap_err();
    let err = config.secrets().redact_error(err);
    let shown = err.to_string();
    assert!(!shown.contains(&token[..24]), "the start of the token is shown: {shown}");
}

/// A sync cursor comes from the caller, who may have stored, cut or edited
/// it. One that `SyncPlan::new` accepts must lead only to calls that can be
/// built; otherwise the sync fails at that call and hands back the same
/// cursor, which fails again, for ever. `read_cursor` checks the thread ids
/// but not `tn` (0), `ta` or `after` (empty, white space, non-ASCII).
#[test]
fn an_accepted_sync_cursor_leads_only_to_calls_that_can_be_built() {
    let page = "104620945892041";
    for text in [
        "v=1&page=104620945892041&tc=t_1&ta=A&tn=0",
        "v=1&page=104620945892041&tc=t_1&ta=&tn=3",
        "v=1&page=104620945892041&tc=t_1&ta=A%20B&tn=3",
        "v=1&page=104620945892041&pages=1&after=",
        "v=1&page=104620945892041&pages=1&after=%C3%A9",
    ] {
        let cursor = base64url(text.as_bytes());
        let Ok(mut plan) = SyncPlan::new(PageId::new(page).unwrap(), SyncOptions::default(), Some(&cursor)) else {
            continue;
        };
        while let Some((_, call)) = plan.next_call() {
            assert!(plan.request(&call).is_ok(), "cursor {text:?} is accepted, but {call:?} cannot be built");
        }
    }
}

/// A proxy's error page is quoted by a 120-character snippet, so reading
/// it must take time in proportion to its size, whatever it holds. Each
/// `<style>` or `<script>` tag lowercases the whole rest of the body
/// (`snippet` in `response.rs`), so a page made of them is quadratic:
/// natively, 1.4 MB of `<script>x</script>` takes about 5 s, on the
/// thread of a browser page in wasm longer. Measured against a page of
/// plain tags of the same size, read in the same run.
#[test]
fn a_page_full_of_style_tags_is_read_in_linear_time() {
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    fn read_within(body: String, limit: Duration) -> Option<Duration> {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let started = Instant::now();
            let headers = ResponseHeaders { content_type: Some("text/html".into()), ..Default::default() };
            let usage = UsageValues::<Value>::parse(&headers);
            let _ = read_response(HttpResponse { status: 502, headers, body: Body::<Value>::Text(body) }, &usage);
            let _ = done.send(started.elapsed());
        });
        // A quadratic read is left running; the test process ends it.
        finished.recv_timeout(limit).ok()
    }
    let size = 1 << 20;
    let plain =
        read_within("<p>x</p>".repeat(size / 8), Duration::from_secs(60)).expect("a page of plain tags is read");
    let limit = plain * 20 + Duration::from_millis(500);
    for tag in ["style", "script"] {
        let page = format!("<{tag}>x</{tag}>").repeat(size / (2 * tag.len() + 6));
        assert!(
            read_within(page, limit).is_some(),
            "1 MB of <{tag}>x</{tag}> is not read within {limit:?} (plain tags: {plain:?})"
        );
    }
}

proptest! {
    #![proptest_config(cases(512))]

    /// The library's own heapsort puts any input, repeated items and all,
    /// in the order std's sort does.
    #[test]
    fn heapsort_orders_as_std_sort(
        mut items in proptest::collection::vec((-3i64..3, "[ab]{0,2}", 0usize..4), 0..80)
    ) {
        let mut expected = items.clone();
        expected.sort();
        crate::core::sort::heapsort(&mut items);
        prop_assert_eq!(items, expected);
    }

    /// The library's character count (the Send API's text and metadata
    /// limits) is `chars().count()` for any text.
    #[test]
    fn char_count_counts_as_chars(text in any::<String>()) {
        prop_assert_eq!(crate::core::quoted::char_count(&text), text.chars().count());
    }

    /// `cat!` writes its pieces as `format!` writes them: whole numbers,
    /// zero-padded ones, four-digit hex, text and characters.
    #[test]
    fn cat_writes_what_format_writes(
        n in prop_oneof![any::<u64>(), 0u64..1000],
        i in prop_oneof![any::<i64>(), -1000i64..1000],
        width in 0usize..25,
        c in prop_oneof![any::<u32>(), 0u32..0x10000],
        text in ".{0,8}",
    ) {
        use crate::text::{cat, Hex4, Padded};
        prop_assert_eq!(cat!(n), format!("{n}"));
        prop_assert_eq!(cat!(i), format!("{i}"));
        prop_assert_eq!(cat!(i as i32), format!("{}", i as i32));
        prop_assert_eq!(cat!(n as u16, n as usize), format!("{}{}", n as u16, n as usize));
        prop_assert_eq!(cat!(Padded(n, width)), format!("{n:0width$}"));
        prop_assert_eq!(cat!(Hex4(c)), format!("{c:04X}"));
        prop_assert_eq!(cat!(text, '|', text.clone(), &"."), format!("{text}|{text}."));
    }

    /// The wasm build's float rounding (no `std` there) gives what std's
    /// does, for any `f64`: whole, halves, huge, infinite, NaN.
    #[test]
    fn float_rounding_is_std_rounding(
        x in prop_oneof![
            any::<f64>(),
            (-1e7f64..1e7),
            (-2_000_000i64..2_000_000).prop_map(|n| n as f64 / 4.0),
            Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(f64::NAN),
            Just(4_503_599_627_370_495.5), Just(-0.49999999999999994), Just(9.3e18),
        ]
    ) {
        use crate::float::{floor, round, trunc};
        let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
        prop_assert!(same(trunc(x), x.trunc()), "trunc({x}) = {}", trunc(x));
        prop_assert!(same(floor(x), x.floor()), "floor({x}) = {}", floor(x));
        prop_assert!(same(round(x), x.round()), "round({x}) = {}", round(x));
    }
}
