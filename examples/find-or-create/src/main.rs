//! Find or create: reserve a domain, and when ngrok answers that the
//! account holds it already (`ERR_NGROK_413`), look it up instead. Run it
//! twice on the same domain and it gives the same reservation.
//!
//! ```sh
//! NGROK_API_KEY=... cargo run -p find-or-create -- app.example.com
//! ```

use ngrok_api::types::ReservedDomain;
use ngrok_api::{Client, ErrorCode};

/// The account's reservation of `domain`: made now, or found.
async fn find_or_create(client: &Client, domain: &str) -> Result<(ReservedDomain, bool), ngrok_api::Error> {
    match client.reserved_domains().create().domain(domain).description("managed by find-or-create").await {
        Ok(made) => Ok((made, true)),
        Err(e) if e.code() == Some(ErrorCode::DomainAlreadyReserved) => {
            let filter = format!("obj.domain == {domain:?}");
            let mut found = client.reserved_domains().list().filter(filter).items();
            while let Some(d) = found.try_next().await? {
                if d.domain.eq_ignore_ascii_case(domain) {
                    return Ok((d, false));
                }
            }
            Err(e)
        }
        Err(e) => Err(e),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain = std::env::args().nth(1).unwrap_or_else(|| "find-or-create.example.com".to_string());
    let client = Client::from_env()?;
    for _ in 0..2 {
        let (d, made) = find_or_create(&client, &domain).await?;
        println!("{} {} ({})", if made { "reserved" } else { "found" }, d.domain, d.id);
    }
    Ok(())
}
