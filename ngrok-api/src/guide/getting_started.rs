//! # Getting started
//!
//! ## A client
//!
//! Everything starts from a [`Client`](crate::Client). Give it an API key
//! (made in the ngrok dashboard, or with `client.api_keys().create()`):
//!
//! ```no_run
//! # fn demo() -> ngrok_api::Result<()> {
//! use std::time::Duration;
//!
//! let client = ngrok_api::Client::new("2abc..."); // a key you hold
//! let client = ngrok_api::Client::from_env()?; // NGROK_API_KEY, and NGROK_API_URL when set
//! let client = ngrok_api::Client::builder()
//!     .api_key("2abc...")
//!     .timeout(Duration::from_secs(10))
//!     .user_agent_suffix("my-tool/0.3")
//!     .build()?; // a bad URL or an empty key is reported here, not at the first call
//! # let _ = client; Ok(()) }
//! ```
//!
//! A client is cheap to clone, and clones share one connection pool and
//! one rate limiter: build it once and pass clones around.
//!
//! ## Requests
//!
//! Services hang off the client as they do in ngrok's other clients:
//! `client.ip_policies()`, `client.endpoints()`,
//! `client.edges().https()`. A service's method gives a request: its
//! required values are the method's arguments, so forgetting one does not
//! compile, and every optional value is a setter. Nothing is sent until the
//! request is awaited.
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! use ngrok_api::types::IpPolicyRuleAction;
//!
//! let policy = client.ip_policies().create().description("office").await?;
//! let rule = client
//!     .ip_policy_rules()
//!     .create("203.0.113.0/24", &policy.id, IpPolicyRuleAction::Allow)
//!     .description("office network")
//!     .await?;
//! println!("{} allows {}", rule.id, rule.cidr);
//! # Ok(()) }
//! ```
//!
//! Each request type is named after what it acts on and the operation:
//! `client.ip_policy_rules().create(..)` is an
//! [`IpPolicyRuleCreateRequest`](crate::ip_policy_rules::IpPolicyRuleCreateRequest),
//! whose page says what awaiting it resolves to (here
//! `Result<IpPolicyRule>`) and lists its setters. A request can be kept
//! in a variable or a struct and awaited later, and its whole body can be
//! given at once with `with_body` (the body types,
//! [`IpPolicyRuleCreate`](crate::types::IpPolicyRuleCreate) and the
//! like, build from a struct literal ending in `..Default::default()`).
//!
//! ## Updates, and clearing a field
//!
//! An update sends only what you set: every other field keeps its value.
//! Each setter of an update request says what its `set_*` twin does with
//! `None` (the field is left unchanged) and how the field is cleared,
//! where the API allows it: an empty string clears a text field, an empty
//! list a list and an empty map a map. A field the object cannot exist
//! without (one the create request requires) can be changed but not
//! cleared, and a certificate is removed with its own call
//! (`reserved_domains().delete_certificate(id)`).
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! let description: Option<String> = None; // say, from a config file
//! client
//!     .ip_policies()
//!     .update("ipp_...")
//!     .set_description(description) // None: unchanged
//!     .metadata("") // cleared
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Some fields are fixed once the object exists: an IP policy rule's
//! `action` and policy, an IP restriction's `type`, an endpoint's `type`, a
//! reserved domain's name. The create request says so on those arguments
//! and setters, and the update request lists them; to change one, make a
//! new object.
//!
//! A fetched object changes or deletes itself, without being fetched
//! again:
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! let domain = client.reserved_domains().get("rd_...").await?;
//! domain.update(&client).description("marketing site").await?;
//! # Ok(()) }
//! ```
//!
//! ## Enum values
//!
//! Enums are open: a value this version does not know reads as
//! `Unknown(..)` and is sent back unchanged. In code, name the variant;
//! for text from a user or a file, `from_known` refuses a typo with the
//! list of valid values, and `from_raw` takes anything:
//!
//! ```
//! use ngrok_api::types::IpPolicyRuleAction;
//!
//! assert_eq!(IpPolicyRuleAction::from_known("deny").unwrap(), IpPolicyRuleAction::Deny);
//! let typo = IpPolicyRuleAction::from_known("dney").unwrap_err();
//! assert!(typo.to_string().contains("allow"));
//! assert!(!IpPolicyRuleAction::from_raw("dney").is_known());
//! ```
//!
//! ## Without async
//!
//! With the `blocking` feature, `ngrok_api::blocking::Client` offers the
//! same services and setters to programs with no async runtime: a request
//! runs with `.send()` and a list's `items()` is an iterator.
//! `ngrok_api::blocking::Client::builder()` takes every option of the async
//! builder, and an object's own methods (`policy.update(&client)`) take
//! either client ([`AnyClient`](crate::AnyClient)).
//!
//! ## Features
//!
//! Every service is a Cargo feature named after its accessor in kebab case
//! (`ip-policies`, `reserved-domains`; grouped services share one:
//! `edges`, `backends`, `edge-modules`). `full`, on by default, turns them
//! all on. With `default-features = false`, list the services you use and
//! a TLS backend (`rustls`, `rustls-ring` or `native-tls`); only the types
//! those services need are built.
//! `traffic-policy` (in `full`) is the typed
//! [`traffic_policy`](crate::traffic_policy) module; `traffic-policy-cel`
//! (off by default) makes its `validate` compile CEL expressions too.
