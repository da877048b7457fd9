//! `core::request`.

use crate::core::query::{Folder, Platform};
use crate::core::request::*;
#[allow(unused_imports)]
use crate::*;

fn config() -> ClientConfig {
    ClientConfig::new("EAAG-secret-token")
        .unwrap()
        .base_url("http://127.0.0.1:9")
        .unwrap()
        .api_version("v21.0")
        .unwrap()
}

#[test]
fn conversations_request_carries_every_parameter() {
    let query = ConversationQuery {
        platform: Some(Platform::Instagram),
        folder: Some(Folder::PageDone),
        user_id: Some("17841400000000009".into()),
        fields: Some(Fields::Expansion("id,messages.limit(2){id,message}".into())),
        limit: Some(10),
        after: Some("QVFI+/=".into()),
        before: None,
    };
    let page = PageId::new("104620945892041").unwrap();
    let http = GraphRequest::list_conversations(&page, &query).unwrap().to_http(&config());
    assert_eq!(http.method, Method::Get);
    assert_eq!(
        http.url,
        "http://127.0.0.1:9/v21.0/104620945892041/conversations?platform=instagram&user_id=17841400000000009\
&folder=page_done&fields=id,messages.limit%282%29%7Bid,message%7D&limit=10&after=QVFI%2B%2F%3D"
    );
    assert_eq!(http.headers, vec![("Authorization", "Bearer EAAG-secret-token".to_owned())]);
    assert!(http.body.is_none());
}

#[test]
fn the_token_is_never_in_the_url_or_debug() {
    let config = config().app_secret("app-secret-value").unwrap();
    let http = GraphRequest::get_message(&MessageId::new("m_1").unwrap(), None).unwrap().to_http(&config);
    assert!(!http.url.contains("EAAG-secret-token"));
    assert!(!http.url.contains("app-secret-value"));
    assert!(http.url.contains("&appsecret_proof="));
    assert!(!format!("{http:?}").contains("EAAG-secret-token"));
}

#[test]
fn messages_default_to_the_documented_fields() {
    let id = ConversationId::new("t_1").unwrap();
    let request = GraphRequest::list_messages(&id, &MessageQuery::default()).unwrap();
    assert_eq!(request.params[0], ("fields", DEFAULT_MESSAGE_FIELDS.to_owned()));
    for field in [
        "from",
        "to",
        "attachments{",
        "image_data",
        "sticker_id",
        "reactions",
        "shares",
        "story",
        "tags",
        "is_unsupported",
        "reply_to",
    ] {
        assert!(DEFAULT_MESSAGE_FIELDS.contains(field), "{field}");
    }
    let node = GraphRequest::get_conversation(&id, None).unwrap();
    assert!(node.params.is_empty());
}

#[test]
fn bad_query_values_are_refused() {
    let page = PageId::new("1").unwrap();
    let both = ConversationQuery { after: Some("a".into()), before: Some("b".into()), ..Default::default() };
    assert!(GraphRequest::list_conversations(&page, &both).is_err());
    let user = ConversationQuery { user_id: Some("1&platform=x".into()), ..Default::default() };
    assert!(GraphRequest::list_conversations(&page, &user).is_err());
    let limit = ConversationQuery { limit: Some(0), ..Default::default() };
    assert!(GraphRequest::list_conversations(&page, &limit).is_err());
}

#[test]
fn next_page_replaces_the_cursor() {
    let page = PageId::new("1").unwrap();
    let query = ConversationQuery { before: Some("B".into()), limit: Some(5), ..Default::default() };
    let next = GraphRequest::list_conversations(&page, &query).unwrap().with_after("A2");
    assert_eq!(next.relative_url(), "1/conversations?limit=5&after=A2");
}

#[test]
fn batch_is_a_form_post_of_relative_urls() {
    let items: Vec<_> = ["m_1", "m_2"]
        .iter()
        .map(|id| {
            GraphRequest::get_message(&MessageId::new(*id).unwrap(), Some(&Fields::List(vec!["id".into()]))).unwrap()
        })
        .collect();
    let http = batch_request(&items, &config()).unwrap();
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.url, "http://127.0.0.1:9/v21.0/");
    let body = http.body.unwrap();
    assert!(
        body.starts_with("batch=%5B%7B%22method%22%3A%22GET%22,%22relative_url%22%3A%22m_1%3Ffields%3Did%22%7D,"),
        "{body}"
    );
    assert!(body.ends_with("&include_headers=false"));
    assert!(!body.contains("EAAG"));
    assert!(batch_request(&[], &config()).is_err());
    assert!(batch_request(&vec![items[0].clone(); 51], &config()).is_err());
}

#[test]
fn token_in_body_is_a_simple_form_post_the_graph_reads_as_get() {
    let config = config().app_secret("app-secret-value").unwrap().token_in(TokenIn::Body);
    let page = PageId::new("104620945892041").unwrap();
    let query = ConversationQuery { platform: Some(Platform::Instagram), ..Default::default() };
    let http = GraphRequest::list_conversations(&page, &query).unwrap().to_http(&config);
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.url, "http://127.0.0.1:9/v21.0/104620945892041/conversations");
    // No Authorization header: only a CORS-safelisted Content-Type, so a
    // browser sends no preflight.
    assert_eq!(http.headers, vec![("Content-Type", "application/x-www-form-urlencoded".to_owned())]);
    let body = http.body.clone().unwrap();
    assert!(body.starts_with("platform=instagram&appsecret_proof="), "{body}");
    assert!(body.ends_with("&method=GET&access_token=EAAG-secret-token"), "{body}");
    assert!(!format!("{http:?}").contains("EAAG-secret-token"));
    assert!(!body.contains("app-secret-value"));

    let item = GraphRequest::get_message(&MessageId::new("m_1").unwrap(), None).unwrap();
    let batch = batch_request(&[item], &config).unwrap();
    assert_eq!(batch.headers, http.headers);
    assert!(batch.body.unwrap().ends_with("&access_token=EAAG-secret-token"));
}

#[test]
fn token_in_reads_header_or_body_only() {
    assert_eq!(TokenIn::parse("header").unwrap(), TokenIn::Header);
    assert_eq!(TokenIn::parse("body").unwrap(), TokenIn::Body);
    let err = TokenIn::parse("query").unwrap_err();
    assert!(err.to_string().contains("\"header\" or \"body\""), "{err}");
    assert_eq!(ClientConfig::new("EAAG-test-page-token").unwrap().token_in, TokenIn::Header);
}

#[test]
fn percent_decode_undoes_form_encode_and_refuses_a_broken_escape() {
    let value = "a b+c,d/é%\u{1F600}";
    let encoded = form_encode(&[("k", value.to_owned())]);
    assert_eq!(percent_decode(encoded.strip_prefix("k=").unwrap(), false).as_deref(), Some(value));
    // A form's `+` is a space; elsewhere it stays a `+`.
    assert_eq!(percent_decode("a+b%2B%2bc", true).as_deref(), Some("a b++c"));
    assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
    // Two hex digits or nothing, and UTF-8.
    for broken in ["%", "%4", "%G1", "%+5", "%-5", "%ff"] {
        assert_eq!(percent_decode(broken, true), None, "{broken}");
    }
}
