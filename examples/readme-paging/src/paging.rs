async fn demo(client: ngrok_api::Client) -> Result<(), ngrok_api::Error> {
    // Every item of every page, fetched lazily (one page ahead of you):
    let mut tunnels = client.tunnels().list().items();
    while let Some(tunnel) = tunnels.try_next().await? {
        println!("{} -> {}", tunnel.public_url, tunnel.forwards_to);
    }

    // Whole pages, with a server-side CEL filter:
    let mut pages = client.ip_policies().list().limit(50).filter(r#"obj.description == "office""#).pages();
    while let Some(page) = pages.try_next().await? {
        println!("{} policies on this page", page.ip_policies.len());
    }

    // Everything at once, into a Vec:
    let all: Vec<_> = client.ip_policies().list().items().try_collect().await?;
    println!("{} policies in all", all.len());

    // Just the first page:
    let first = client.api_keys().list().limit(10).await?;
    println!("{} API keys on the first page", first.keys.len());
    Ok(())
}
