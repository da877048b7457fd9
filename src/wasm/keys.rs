//! Property names as JS strings, made once each.
//!
//! Every `Reflect.get` / `Reflect.set` of the facade names its property
//! with a JS string. Passing a Rust `&str` decodes it in JS on every call;
//! the names repeat (the same few dozen on every item of every page), so
//! each is decoded once and its JS string kept. This replaces
//! wasm-bindgen's `enable-interning` cache, which hashes (SipHash) every
//! string that crosses into JS — URLs, bodies, texts — to look it up, and
//! links hashbrown into the module.

use crate::prelude::*;

use ::core::cell::RefCell;
use alloc::borrow::Cow;

use wasm_bindgen::JsValue;

/// Names kept at most: what the facade itself uses is far fewer; names
/// from data (the members of a webhook's raw objects) stop being kept
/// once the cache is full, so it cannot grow without bound.
const MAX_KEPT: usize = 512;
/// Longer names are not kept: property names of the Graph are short.
const MAX_LEN: usize = 48;

/// `(name, its JS string)`, sorted by name. The JS strings are leaked on
/// purpose: they live as long as the module, and a `'static` borrow saves
/// a reference-table entry per lookup.
type Kept = Vec<(Box<str>, &'static JsValue)>;

static KEPT: super::local::Local<RefCell<Kept>> = super::local::Local(RefCell::new(Vec::new()));

/// `name` as a JS string.
pub fn key(name: &str) -> Cow<'static, JsValue> {
    if name.len() > MAX_LEN {
        return Cow::Owned(JsValue::from_str(name));
    }
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        match kept.binary_search_by(|(k, _)| (**k).cmp(name)) {
            Ok(at) => Cow::Borrowed(kept[at].1),
            Err(_) if kept.len() >= MAX_KEPT => Cow::Owned(JsValue::from_str(name)),
            Err(at) => {
                let value: &'static JsValue = Box::leak(Box::new(JsValue::from_str(name)));
                kept.insert(at, (name.into(), value));
                Cow::Borrowed(value)
            }
        }
    })
}
