//! The README's paging example, compiled by a crate whose only
//! dependencies are `ngrok-api` and `tokio`: no `futures` crate is needed
//! to walk a list. `src/paging.rs` is the README's block, byte for byte
//! (a test checks it), and this program runs it against `NGROK_API_URL`.

include!("paging.rs");

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ngrok_api::Error> {
    demo(ngrok_api::Client::from_env()?).await
}

#[cfg(test)]
mod tests {
    /// The README's "Automatic paging" example is this crate's
    /// `src/paging.rs`, unchanged.
    #[test]
    fn the_readme_shows_this_crates_paging_example() {
        let readme = include_str!("../../../README.md");
        let example = include_str!("paging.rs");
        let block = format!("```rust,no_run\n{example}```");
        assert!(readme.contains(&block), "README.md's paging example differs from examples/readme-paging/src/paging.rs");
    }
}
