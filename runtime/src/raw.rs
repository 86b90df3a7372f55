//! Raw calls: any path of the API, for an operation or a field the SDK
//! does not know yet, sent through the same path as every generated call
//! (auth, retries, timeouts, rate limit, origin checks, redaction, errors,
//! observers and traces), decoded into `serde_json::Value` or any type.

use std::borrow::Cow;
use std::future::IntoFuture;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::path::push_segment;
use super::{Call, CallSettings, Client, Error, Items, Method, Page, Pages, ResponseFuture};

/// A call to any path of the API, made with `client.raw(method, template)`:
/// set its path parameters, query and body, then `.await` it for a
/// `serde_json::Value`, or for any type after [`decode`](Self::decode).
/// A list walks with [`items`](Self::items) or [`pages`](Self::pages),
/// following `next_page_uri` as the generated lists do.
///
/// The template is the path as the API documents it, with each parameter
/// in braces: `/reserved_domains/{id}`. It is what observers and traces
/// are shown; the parameters' values, given with
/// [`path_param`](Self::path_param), are each encoded as one path
/// segment and never shown. A template must start with `/` and hold no
/// query (`?`), fragment (`#`), backslash or whitespace.
///
/// ```no_run
/// # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
/// use ngrok_api::Method;
/// let domain = client.raw(Method::GET, "/reserved_domains/{id}").path_param("id", "rd_123").await?;
/// println!("{}", domain["domain"]);
/// let mut policies = client.raw(Method::GET, "/ip_policies").query("limit", "50").items();
/// while let Some(policy) = policies.try_next().await? {
///     println!("{}", policy["id"]);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct RawRequest<T = Value> {
    client: Client,
    operation: &'static str,
    method: Method,
    template: Cow<'static, str>,
    params: Vec<(Cow<'static, str>, String)>,
    query: Vec<(&'static str, String)>,
    body: Option<Result<Value, String>>,
    per_call: CallSettings,
    output: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for RawRequest<T> {
    /// The operation, method and template only: no parameter, query or body.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRequest")
            .field("operation", &self.operation)
            .field("method", &self.method.as_str())
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

impl<T> Clone for RawRequest<T> {
    fn clone(&self) -> Self {
        RawRequest {
            client: self.client.clone(),
            operation: self.operation,
            method: self.method.clone(),
            template: self.template.clone(),
            params: self.params.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            per_call: self.per_call.clone(),
            output: PhantomData,
        }
    }
}

impl RawRequest {
    /// A raw call of `client`; see [`RawRequest`].
    #[doc(hidden)]
    pub fn new(client: Client, method: Method, template: impl Into<Cow<'static, str>>) -> RawRequest {
        RawRequest {
            client,
            operation: "raw",
            method,
            template: template.into(),
            params: Vec::new(),
            query: Vec::new(),
            body: None,
            per_call: CallSettings::default(),
            output: PhantomData,
        }
    }
}

impl<T> RawRequest<T> {
    crate::per_call_settings!();

    /// The value of the template's parameter `{name}`, encoded as one
    /// path segment (an empty value, `.` or `..` is refused when sent).
    pub fn path_param(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Appends a query parameter, in order (repeat a name for a list).
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// The JSON request body. A value that does not encode fails the
    /// call, before anything is sent, with an `ErrorKind::Encode` error.
    pub fn body(mut self, body: impl Serialize) -> Self {
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    /// The name errors, observers and traces give this call (default
    /// `raw`), e.g. `reserved_domains.custom`.
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = name;
        self
    }

    /// The same call, decoded into `U` instead: a type of the SDK's
    /// models, one of the program's own, or `()` for an empty answer.
    pub fn decode<U: DeserializeOwned>(self) -> RawRequest<U> {
        RawRequest {
            client: self.client,
            operation: self.operation,
            method: self.method,
            template: self.template,
            params: self.params,
            query: self.query,
            body: self.body,
            per_call: self.per_call,
            output: PhantomData,
        }
    }

    /// Every page of a list at this path, decoded as `P` (a generated
    /// `...List` type, or a type of the program's own), with the same
    /// guards as every list: `next_page_uri` only on the API's origin,
    /// loops and the page limit stop the walk.
    pub fn pages<P: Page>(self) -> Pages<P> {
        let (client, call) = self.into_call();
        let Call { operation, method, template, path, query, body, settings } = call;
        let path = match body {
            Some(_) => Err(Error::invalid_argument("body", "is not sent with a list walked by pages() or items(); send it with .await")),
            None => path,
        };
        Pages::new(client, Call { operation, method, template, path, query, body: None, settings })
    }

    /// Every item of every page of a list at this path, as JSON values
    /// (the items of each page's one array field, `ip_policies` for
    /// `/ip_policies`); the same guards as [`pages`](Self::pages).
    pub fn items(self) -> Items<RawPage> {
        self.pages::<RawPage>().items()
    }

    fn into_call(self) -> (Client, Call<Value>) {
        let path = fill_template(&self.template, &self.params);
        let (path, body) = match self.body {
            Some(Err(e)) => (Err(Error::encode(e)), None),
            Some(Ok(body)) => (path, Some(body)),
            None => (path, None),
        };
        let call = Call {
            operation: self.operation,
            method: self.method,
            template: self.template,
            path,
            query: self.query,
            body,
            settings: self.per_call,
        };
        (self.client, call)
    }
}

impl<T: DeserializeOwned> IntoFuture for RawRequest<T> {
    type Output = Result<T, Error>;
    type IntoFuture = ResponseFuture<T, Value>;

    fn into_future(self) -> Self::IntoFuture {
        let (client, call) = self.into_call();
        ResponseFuture::new(client, call)
    }
}

/// A page of a list walked with [`RawRequest::items`]: the page's JSON
/// object, whose one array field holds the items.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct RawPage(pub Map<String, Value>);

impl Page for RawPage {
    type Item = Value;

    fn next_page_uri(&self) -> Option<&str> {
        self.0.get("next_page_uri").and_then(Value::as_str)
    }

    fn into_items(self) -> Vec<Value> {
        self.0.into_iter().find_map(|(_, v)| match v {
            Value::Array(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default()
    }

    fn item_count(&self) -> usize {
        self.0.values().find_map(Value::as_array).map_or(0, Vec::len)
    }
}

/// The path of a raw call: the template's literal text, checked, with
/// each `{name}` replaced by its parameter's value as one encoded segment.
fn fill_template(template: &str, params: &[(Cow<'static, str>, String)]) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid_argument("template", format!("`{template}` {why}"));
    if !template.starts_with('/') {
        return Err(bad("must be a path starting with `/` (the client adds the base URL)"));
    }
    if template.contains(['?', '#', '\\']) || template.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must hold no query (`?`), fragment (`#`), backslash or whitespace; add a query with .query(..)"));
    }
    if template.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(bad("must not hold a `.` or `..` segment"));
    }
    let mut out = String::with_capacity(template.len() + params.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (literal, after) = rest.split_at(open);
        if literal.contains('}') {
            return Err(bad("has a `}` without its `{`"));
        }
        out.push_str(literal);
        let Some(close) = after.find('}') else { return Err(bad("has a `{` without its `}`")) };
        let name = &after[1..close];
        let value = params.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v);
        let Some(value) = value else {
            return Err(Error::invalid_argument(name, "is in the template but was not given; set it with .path_param(..)"));
        };
        push_segment(&mut out, name, value)?;
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(bad("has a `}` without its `{`"));
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(template: &str, params: &[(&'static str, &str)]) -> Result<String, Error> {
        let params: Vec<_> = params.iter().map(|(n, v)| (Cow::Borrowed(*n), v.to_string())).collect();
        fill_template(template, &params)
    }

    #[test]
    fn parameters_become_one_encoded_segment_each() {
        assert_eq!(fill("/reserved_domains/{id}", &[("id", "rd_1")]).ok().as_deref(), Some("/reserved_domains/rd_1"));
        assert_eq!(fill("/a/{x}/b/{y}", &[("y", "2"), ("x", "a/b?c")]).ok().as_deref(), Some("/a/a%2Fb%3Fc/b/2"));
        assert_eq!(fill("/ip_policies", &[]).ok().as_deref(), Some("/ip_policies"));
    }

    #[test]
    fn bad_templates_and_values_are_refused_with_the_reason() {
        for (template, why) in [
            ("ip_policies", "starting with `/`"),
            ("https://evil.example/x", "starting with `/`"),
            ("/x?token=1", "no query"),
            ("/x#y", "no query"),
            ("/x y", "whitespace"),
            ("/a/../b", "`..`"),
            ("/a/{id", "without its `}`"),
            ("/a/id}", "without its `{`"),
        ] {
            let err = fill(template, &[("id", "1")]).expect_err(template);
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
            assert!(err.to_string().contains(why), "{template}: {err}");
        }
        let err = fill("/a/{id}", &[]).expect_err("missing");
        assert!(err.to_string().contains("path_param"), "{err}");
        for value in ["", ".", ".."] {
            assert!(fill("/a/{id}", &[("id", value)]).is_err(), "{value:?}");
        }
    }

    #[test]
    fn a_raw_page_gives_its_array_and_its_next_page() {
        let page: RawPage = serde_json::from_str(r#"{"ip_policies":[{"id":"a"},{"id":"b"}],"uri":"u","next_page_uri":"n"}"#).expect("a page");
        assert_eq!(page.next_page_uri(), Some("n"));
        assert_eq!(page.item_count(), 2);
        assert_eq!(page.into_items().len(), 2);
        let last: RawPage = serde_json::from_str(r#"{"keys":[],"next_page_uri":null}"#).expect("a page");
        assert_eq!(last.next_page_uri(), None);
    }
}
