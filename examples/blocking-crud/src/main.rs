//! The blocking client from a program with no async runtime: list tunnels,
//! then create, update, read back and delete an IP policy (by ID through
//! the service, and renamed and deleted through the policy itself).
//!
//! `NGROK_API_KEY=... cargo run -p blocking-crud` (and `NGROK_API_URL` to
//! point it at the emulator). Nothing is left behind.

use ngrok_api::blocking::Client;

fn main() -> ngrok_api::Result<()> {
    let client = Client::from_env()?;

    // Lists are iterators of items (or of pages, with `.pages()`).
    for tunnel in client.tunnels().list().items() {
        let tunnel = tunnel?;
        println!("tunnel {} -> {}", tunnel.public_url, tunnel.forwards_to);
    }

    let policy = client.ip_policies().create().description("blocking example").send()?;
    println!("created {} ({})", policy.id, policy.description);

    let updated = client.ip_policies().update(&policy.id).description("blocking example, renamed").send()?;
    println!("updated {} ({})", updated.id, updated.description);

    let listed = client.ip_policies().list().items().filter(|p| p.as_ref().is_ok_and(|p| p.id == policy.id)).count();
    println!("listed {listed} time(s)");

    // An object's own methods take either client; with this one they are sent.
    let renamed = updated.update(&client).description("renamed through itself").send()?;
    println!("renamed {} ({})", renamed.id, renamed.description);
    let fetched = client.ip_policies().get(&policy.id).send()?;
    println!("read back {} ({})", fetched.id, fetched.description);

    fetched.delete(&client).send()?;
    match client.ip_policies().get(&policy.id).send() {
        Err(e) if e.is_not_found() => println!("deleted {}", policy.id),
        Err(e) => return Err(e),
        Ok(p) => println!("still there: {}", p.id),
    }
    Ok(())
}
