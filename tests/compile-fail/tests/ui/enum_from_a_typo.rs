// An enum argument takes the enum, not a string: a typo such as
// "dashbord" does not compile.
fn main() {
    let client = ngrok_api::Client::new("key");
    let _request = client.ip_restrictions().create("dashbord", ["ipp_1"]);
}
