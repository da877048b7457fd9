//! One typed value per Graph call, and its HTTP form: method, URL, headers,
//! body. The token goes in the `Authorization` header or in a form body
//! (see [`TokenIn`]), never in a URL.

use crate::prelude::*;
use crate::text::{cat, trim_start_byte};

use ::core::fmt;

use super::config::{ClientConfig, TokenIn};
use super::error::Error;
use super::ids::{ConversationId, MessageId, PageId, UserId};
use super::query::{check_cursor, check_limit, ConversationQuery, Fields, MessageQuery};
use super::value::Value;

/// The message fields asked for when the caller names none: the documented
/// set, with the sub-fields the Graph needs to return attachment details —
/// since 2026 a sticker is an attachment with `sticker_id`, and a reply
/// carries `reply_to`. Only documented fields: the Graph refuses a call that
/// names one it does not know, so anything newer passes through when the
/// Graph sends it, or is asked for with `fields`.
///
/// See <https://developers.facebook.com/docs/messenger-platform/conversations>.
pub const DEFAULT_MESSAGE_FIELDS: &str = "id,created_time,from,to,message,\
attachments{id,mime_type,name,size,file_url,image_data,video_data,generic_template,sticker_id},\
reactions,shares,story,tags,is_unsupported,reply_to";

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Reads, with the token in a header.
    Get,
    /// Batch requests, and reads with the token in a form body.
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// One Graph call: a path below the version and its parameters, before any
/// address, version or credential is added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphRequest {
    /// `/104620945892041/conversations`, `/t_1/messages`, `/m_1`.
    pub path: String,
    /// Parameters in the order they are sent.
    pub params: Vec<(&'static str, String)>,
}

impl GraphRequest {
    /// `GET /{page-id}/conversations` with `query`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a bad `userId`, `fields`, `limit` or
    /// cursor, or both `after` and `before`.
    pub fn list_conversations(page: &PageId, query: &ConversationQuery) -> Result<Self, Error> {
        let mut params = Vec::new();
        if let Some(platform) = query.platform {
            params.push(("platform", platform.as_str().to_owned()));
        }
        if let Some(user) = &query.user_id {
            params.push(("user_id", UserId::new(user.as_str())?.into_string()));
        }
        if let Some(folder) = query.folder {
            params.push(("folder", folder.as_str().to_owned()));
        }
        if let Some(fields) = &query.fields {
            params.push(("fields", fields.to_param()?));
        }
        push_paging(&mut params, query.limit, query.after.as_deref(), query.before.as_deref())?;
        Ok(Self { path: cat!("/", page.as_str(), "/conversations"), params })
    }

    /// `GET /{conversation-id}`, with `fields` or the Graph's default.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for bad `fields`.
    pub fn get_conversation(id: &ConversationId, fields: Option<&Fields>) -> Result<Self, Error> {
        let params = match fields {
            Some(fields) => vec![("fields", fields.to_param()?)],
            None => Vec::new(),
        };
        Ok(Self { path: cat!("/", id.as_str()), params })
    }

    /// `GET /{conversation-id}/messages`, with the documented message fields
    /// unless `query.fields` names others.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for bad `fields`, `limit` or cursor.
    pub fn list_messages(id: &ConversationId, query: &MessageQuery) -> Result<Self, Error> {
        let mut params = vec![("fields", message_fields(query.fields.as_ref())?)];
        push_paging(&mut params, query.limit, query.after.as_deref(), query.before.as_deref())?;
        Ok(Self { path: cat!("/", id.as_str(), "/messages"), params })
    }

    /// `GET /{message-id}`, with the documented message fields unless
    /// `fields` names others.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for bad `fields`.
    pub fn get_message(id: &MessageId, fields: Option<&Fields>) -> Result<Self, Error> {
        Ok(Self { path: cat!("/", id.as_str()), params: vec![("fields", message_fields(fields)?)] })
    }

    /// The same request with another `after` cursor (the next page).
    pub fn with_after(&self, cursor: &str) -> Self {
        // The kept parameters copied in a plain loop: no `retain` of its own
        // in the wasm.
        let mut params = Vec::with_capacity(self.params.len() + 1);
        for (name, value) in &self.params {
            if !matches!(*name, "after" | "before") {
                params.push((*name, value.clone()));
            }
        }
        params.push(("after", cursor.to_owned()));
        Self { path: self.path.clone(), params }
    }

    /// `path?query`, percent-encoded, without version or credentials: the
    /// `relative_url` of a batch item.
    pub fn relative_url(&self) -> String {
        let path = trim_start_byte(&self.path, b'/');
        if self.params.is_empty() {
            path.to_owned()
        } else {
            cat!(path, "?", form_encode(&self.params))
        }
    }

    /// The HTTP request to send with `config`: a `GET` with the token in a
    /// header, or a form `POST` with `method=GET` and the token in the body.
    pub fn to_http(&self, config: &ClientConfig) -> HttpRequest {
        let mut params = self.params.clone();
        if let Some(proof) = &config.appsecret_proof {
            params.push(("appsecret_proof", proof.clone()));
        }
        let mut url = cat!(config.base_url, "/", config.api_version, self.path);
        match config.token_in {
            TokenIn::Header => {
                if !params.is_empty() {
                    url.push('?');
                    url.push_str(&form_encode(&params));
                }
                HttpRequest { method: Method::Get, url, headers: auth_headers(config), body: None }
            }
            TokenIn::Body => {
                params.push(("method", "GET".to_owned()));
                params.push(("access_token", config.access_token.expose().to_owned()));
                HttpRequest {
                    method: Method::Post,
                    url,
                    headers: form_headers(config),
                    body: Some(form_encode(&params)),
                }
            }
        }
    }
}

/// The most items the Graph takes in one batch request.
pub const MAX_BATCH: usize = 50;

/// A Graph batch request (`POST /` with `batch=[…]`) for up to
/// [`MAX_BATCH`] `GET` calls; each item still counts as one call.
///
/// See <https://developers.facebook.com/docs/graph-api/batch-requests>.
///
/// # Errors
/// [`Error::InvalidArgument`] for an empty batch or more than 50 items.
pub fn batch_request(items: &[GraphRequest], config: &ClientConfig) -> Result<HttpRequest, Error> {
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(Error::invalid_argument(cat!("a batch holds 1 to ", MAX_BATCH, " requests, not ", items.len())));
    }
    let mut batch = String::from("[");
    for item in items {
        if batch.len() > 1 {
            batch.push(',');
        }
        batch.push_str("{\"method\":\"GET\",\"relative_url\":");
        batch.push_str(&Value::String(item.relative_url()).to_json_text());
        batch.push('}');
    }
    batch.push(']');
    let mut form = vec![("batch", batch), ("include_headers", "false".to_owned())];
    if let Some(proof) = &config.appsecret_proof {
        form.push(("appsecret_proof", proof.clone()));
    }
    if config.token_in == TokenIn::Body {
        form.push(("access_token", config.access_token.expose().to_owned()));
    }
    Ok(HttpRequest {
        method: Method::Post,
        url: cat!(config.base_url, "/", config.api_version, "/"),
        headers: form_headers(config),
        body: Some(form_encode(&form)),
    })
}

fn message_fields(fields: Option<&Fields>) -> Result<String, Error> {
    fields.map_or_else(|| Ok(DEFAULT_MESSAGE_FIELDS.to_owned()), Fields::to_param)
}

fn push_paging(
    params: &mut Vec<(&'static str, String)>,
    limit: Option<u32>,
    after: Option<&str>,
    before: Option<&str>,
) -> Result<(), Error> {
    if after.is_some() && before.is_some() {
        return Err(Error::invalid_argument("give either after or before, not both"));
    }
    if let Some(limit) = limit {
        params.push(("limit", cat!(check_limit(limit)?)));
    }
    push_cursor(params, "after", after)?;
    push_cursor(params, "before", before)
}

fn push_cursor(
    params: &mut Vec<(&'static str, String)>,
    name: &'static str,
    cursor: Option<&str>,
) -> Result<(), Error> {
    if let Some(cursor) = cursor {
        check_cursor(name, cursor)?;
        params.push((name, cursor.to_owned()));
    }
    Ok(())
}

/// The headers of a `GET` with the token in the header: `Authorization`.
pub fn auth_headers(config: &ClientConfig) -> Vec<(&'static str, String)> {
    vec![("Authorization", config.access_token.authorization())]
}

/// A form body's headers: `Content-Type` (a CORS-safelisted value), plus
/// `Authorization` unless the token travels in the body.
fn form_headers(config: &ClientConfig) -> Vec<(&'static str, String)> {
    let mut headers = match config.token_in {
        TokenIn::Header => auth_headers(config),
        TokenIn::Body => Vec::new(),
    };
    headers.push(("Content-Type", "application/x-www-form-urlencoded".to_owned()));
    headers
}

/// An HTTP request ready for a transport. Its `Debug` leaves out header
/// values, so the token cannot reach a log through it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: Method,
    /// The whole URL; never holds the token.
    pub url: String,
    /// Header names and values (`Authorization` among them).
    pub headers: Vec<(&'static str, String)>,
    /// A form-encoded body, for `POST`. It may hold the token: never log it.
    pub body: Option<String>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.as_ref().map(String::len))
            .finish()
    }
}

/// `a=1&b=x%2Cy`: names and values percent-encoded, keeping only RFC 3986
/// unreserved characters and `,` (common in field lists) as they are.
pub fn form_encode(params: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, name);
        out.push('=');
        percent_encode_into(&mut out, value);
    }
    out
}

/// Undoes [`form_encode`]'s escapes, and anyone's: each `%XX` (hex, either
/// case) back to its byte and, in a form (`application/x-www-form-urlencoded`),
/// each `+` to a space. `None` for a broken escape or text that is not UTF-8.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let (Some(&high), Some(&low)) = (bytes.get(i + 1), bytes.get(i + 2)) else { return None };
                out.push(hex_digit(high)? << 4 | hex_digit(low)?);
                i += 2;
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The value of one hex digit, either case.
pub fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn percent_encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}
