//! What lets an object's own methods (`policy.update(&client)`) run on
//! either client: with the async [`Client`] they give a request to
//! `.await`, with the blocking client one to `.send()`.

use crate::Client;

mod sealed {
    pub trait Sealed {}
}

/// Either client of this crate: the async [`Client`] or, with the
/// `blocking` feature, `blocking::Client`.
///
/// The methods on fetched objects (`update`, `delete`, actions) take
/// `&impl AnyClient` and answer with the request type of that client:
///
/// ```no_run
/// # async fn example(client: ngrok_api::Client) -> ngrok_api::Result<()> {
/// let policy = client.ip_policies().get("ipp_2f5fzLD1EoMOwvJ7SkbKSZ7zNT4").await?;
/// policy.update(&client).description("office").await?;
/// # Ok(()) }
/// ```
///
/// This trait is sealed: only the crate's two clients implement it.
pub trait AnyClient: sealed::Sealed {
    /// The request this client gives for the async request `R`: `R`
    /// itself, or its blocking twin.
    type Request<R: Twin>;

    /// The request made by `make` from the async client underneath, in
    /// this client's form.
    #[doc(hidden)]
    fn request<R: Twin>(&self, make: impl FnOnce(&Client) -> R) -> Self::Request<R>;
}

/// Links an async request to its blocking twin. Implemented by the
/// generated requests that objects' own methods return.
#[doc(hidden)]
pub trait Twin: Sized {
    /// The blocking request wrapping this one.
    #[cfg(feature = "blocking")]
    type Blocking;

    /// Wraps the async request to run on the blocking client's runtime.
    #[cfg(feature = "blocking")]
    fn blocking(request: crate::blocking::Blocking<Self>) -> Self::Blocking;
}

impl sealed::Sealed for Client {}

impl AnyClient for Client {
    type Request<R: Twin> = R;

    fn request<R: Twin>(&self, make: impl FnOnce(&Client) -> R) -> R {
        make(self)
    }
}

#[cfg(feature = "blocking")]
impl sealed::Sealed for crate::blocking::Client {}

#[cfg(feature = "blocking")]
impl AnyClient for crate::blocking::Client {
    type Request<R: Twin> = R::Blocking;

    fn request<R: Twin>(&self, make: impl FnOnce(&Client) -> R) -> R::Blocking {
        let (client, runtime) = self.parts();
        R::blocking(crate::blocking::Blocking::new(make(&client), runtime))
    }
}
