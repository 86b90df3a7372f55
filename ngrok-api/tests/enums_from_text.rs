//! Enum values from text: `from_known` refuses a typo with the list of
//! valid values; `from_raw` keeps any value as `Unknown`.

use ngrok_api::ErrorKind;
use ngrok_api::types::{EventDestinationFormat, IpPolicyRuleAction};

#[test]
fn a_typo_is_refused_with_the_values_that_would_do() {
    assert_eq!(IpPolicyRuleAction::from_known("allow").ok(), Some(IpPolicyRuleAction::Allow));
    let err = IpPolicyRuleAction::from_known("alow").expect_err("a typo");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let text = err.to_string();
    assert!(text.contains("`alow`") && text.contains("IpPolicyRuleAction"), "{text}");
    assert!(text.contains("`allow`") && text.contains("`deny`"), "{text}");
    // The lenient twin keeps what it is given.
    assert_eq!(IpPolicyRuleAction::from_raw("alow"), IpPolicyRuleAction::Unknown("alow".into()));
}

#[test]
fn an_alias_is_known() {
    // The OpenAPI spelling of the event format is an alias of the one sent.
    assert_eq!(EventDestinationFormat::from_known("JSON").ok(), Some(EventDestinationFormat::Json));
    assert_eq!(EventDestinationFormat::from_known("json").ok(), Some(EventDestinationFormat::Json));
}
