// Even a correct wire value is not taken as a string: code names the
// variant (`IpRestrictionType::Dashboard`), or says `from_raw` for text
// from outside the program.
fn main() {
    let _kind: ngrok_api::types::IpRestrictionType = "dashboard".into();
}
