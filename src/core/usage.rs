//! The rate-limit headers: `X-App-Usage`, `X-Page-Usage` and
//! `X-Business-Use-Case-Usage`, and how long they say to wait.
//!
//! See <https://developers.facebook.com/docs/graph-api/overview/rate-limiting>.

use crate::prelude::*;
use crate::text::{parse_u64, trim_white};

use alloc::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::json::{int_member, Json};

/// The header values of one answer that the client reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseHeaders {
    /// `X-App-Usage`.
    pub app_usage: Option<String>,
    /// `X-Page-Usage`.
    pub page_usage: Option<String>,
    /// `X-Business-Use-Case-Usage`.
    pub business_use_case_usage: Option<String>,
    /// `Retry-After` (seconds), which proxies send.
    pub retry_after: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
}

/// The usage headers of one answer, parsed but not yet read.
#[derive(Clone, Debug)]
pub struct UsageValues<J> {
    /// `X-App-Usage`.
    pub app: Option<J>,
    /// `X-Page-Usage`.
    pub page: Option<J>,
    /// `X-Business-Use-Case-Usage`.
    pub business_use_case: Option<J>,
}

impl<J: Json> UsageValues<J> {
    /// Parses the usage headers that are present and hold JSON objects.
    pub fn parse(headers: &ResponseHeaders) -> Self {
        let parse = |text: &Option<String>| text.as_deref().and_then(J::parse).filter(J::is_object);
        Self {
            app: parse(&headers.app_usage),
            page: parse(&headers.page_usage),
            business_use_case: parse(&headers.business_use_case_usage),
        }
    }

    /// Whether no usage header came.
    pub fn is_empty(&self) -> bool {
        self.app.is_none() && self.page.is_none() && self.business_use_case.is_none()
    }
}

/// How long the answer says to wait before calling again, in
/// milliseconds: the largest `estimated_time_to_regain_access` (minutes) of
/// the usage headers, or `Retry-After` (seconds); `None` when neither asks
/// for a wait.
pub fn wait_ms<J: Json>(usage: &UsageValues<J>, retry_after: Option<&str>) -> Option<u64> {
    let regain_minutes = |value: &J| int_member(value, "estimated_time_to_regain_access").unwrap_or(0);
    let mut minutes = usage.app.as_ref().map_or(0, regain_minutes);
    if let Some(page) = &usage.page {
        minutes = if usage.app.is_some() { minutes.max(regain_minutes(page)) } else { regain_minutes(page) };
    }
    if let Some(by_object) = &usage.business_use_case {
        for (_, entries) in by_object.entries() {
            for i in 0..entries.array_len().unwrap_or(0) {
                minutes = minutes.max(entries.at(i).as_ref().map_or(0, regain_minutes));
            }
        }
    }
    let from_usage = u64::try_from(minutes).unwrap_or(0).saturating_mul(60_000);
    let from_retry_after = retry_after.and_then(|s| parse_u64(trim_white(s))).unwrap_or(0).saturating_mul(1000);
    Some(from_usage.max(from_retry_after)).filter(|&ms| ms > 0)
}

/// `X-App-Usage` / `X-Page-Usage`: whole percentages of the budget used.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct AppUsage {
    /// Calls, in percent of the budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_count: Option<f64>,
    /// CPU time, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cputime: Option<f64>,
    /// Wall time, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_time: Option<f64>,
    /// Minutes until calls are allowed again, when throttled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_time_to_regain_access: Option<f64>,
}

/// One entry of `X-Business-Use-Case-Usage`: a use case and its usage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct BusinessUseCaseUsage {
    /// `messenger`, `instagram`, `pages`, …
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub use_case: Option<String>,
    /// Percentages used, and minutes until calls are allowed again (0 when
    /// not throttled).
    #[serde(flatten)]
    pub usage: AppUsage,
}

/// The latest usage headers (`client.usage` in JS).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Usage {
    /// `X-App-Usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppUsage>,
    /// `X-Page-Usage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<AppUsage>,
    /// `X-Business-Use-Case-Usage`, by object id (Page or Instagram account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, tsify(type = "Record<string, BusinessUseCaseUsage[]>"))]
    pub business_use_case: Option<BTreeMap<String, Vec<BusinessUseCaseUsage>>>,
}

impl AppUsage {
    fn read<J: Json>(value: &J) -> Self {
        let number = |key: &str| value.get(key).and_then(|v| v.number());
        Self {
            call_count: number("call_count"),
            total_cputime: number("total_cputime"),
            total_time: number("total_time"),
            estimated_time_to_regain_access: number("estimated_time_to_regain_access"),
        }
    }
}

impl Usage {
    /// Reads parsed usage headers into typed values; entries of another
    /// shape are left out.
    pub fn read<J: Json>(values: &UsageValues<J>) -> Self {
        let business_use_case = values.business_use_case.as_ref().map(|by_object| {
            by_object
                .entries()
                .into_iter()
                .map(|(id, entries)| {
                    let list = (0..entries.array_len().unwrap_or(0))
                        .filter_map(|i| entries.at(i))
                        .filter(J::is_object)
                        .map(|entry| BusinessUseCaseUsage {
                            use_case: entry.get("type").and_then(|v| v.string()),
                            usage: AppUsage::read(&entry),
                        })
                        .collect();
                    (id, list)
                })
                .collect()
        });
        Self {
            app: values.app.as_ref().map(AppUsage::read),
            page: values.page.as_ref().map(AppUsage::read),
            business_use_case,
        }
    }
}
