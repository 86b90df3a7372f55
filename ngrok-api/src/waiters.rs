//! Waiters for the states of the API that move after a call returns: a
//! reserved domain's certificate, issued (or failing) some time after the
//! domain is reserved. Each is [`wait_until`](crate::wait::wait_until)
//! with a check written for that state.

#[cfg(feature = "reserved-domains")]
mod reserved_domains {
    use crate::reserved_domains::ReservedDomains;
    use crate::types::{CertJobErrorCode, ReservedDomain};
    use crate::wait::{WaitOptions, WaitState, wait_until};

    /// Where a reserved domain's certificate stands: ready once it has one
    /// and no job is still working on it; failed when automatic
    /// management is off and none was uploaded, or when the job reports a
    /// DNS problem only the user can fix; pending otherwise (a job under
    /// way, or one failing with a temporary problem of ngrok's).
    pub(crate) fn certificate_state(domain: &ReservedDomain) -> WaitState {
        let job = domain.certificate_management_status.as_ref().and_then(|s| s.provisioning_job.as_ref());
        match job {
            Some(job) if job.error_code == Some(CertJobErrorCode::DnsError) => WaitState::Failed(format!(
                "its certificate cannot be issued: a DNS problem to fix (DNS_ERROR: {}); point the domain's CNAME at {}",
                job.msg,
                domain.cname_target.as_deref().unwrap_or("its cname_target")
            )),
            Some(_) => WaitState::Pending,
            None if domain.certificate.is_some() => WaitState::Ready,
            None if domain.certificate_management_policy.is_none() => WaitState::Failed(
                "it has no certificate and automatic certificate management is off; set a certificate_management_policy or upload one".to_string(),
            ),
            None => WaitState::Pending,
        }
    }

    fn what(id: &str) -> String {
        format!("reserved domain {id}'s certificate")
    }

    impl ReservedDomains {
        /// Waits until the reserved domain `id` has its certificate, and
        /// returns the domain as it then is: fetches it, then again after
        /// each of [`WaitOptions`]' growing delays, within its overall
        /// timeout (an error of kind
        /// [`TimeoutKind::Wait`](crate::TimeoutKind::Wait) past it). Ends
        /// early with an [`ErrorKind::WaitFailed`](crate::ErrorKind::WaitFailed)
        /// error when the certificate cannot come without the user: a DNS
        /// problem reported by ngrok's certificate job, or no certificate
        /// with automatic management off.
        ///
        /// ```no_run
        /// # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
        /// use std::time::Duration;
        /// use ngrok_api::wait::WaitOptions;
        /// let domain = client.reserved_domains().create().domain("app.example.com").await?;
        /// let ready = client
        ///     .reserved_domains()
        ///     .wait_for_certificate(&domain.id, WaitOptions::new().timeout(Duration::from_secs(300)))
        ///     .await?;
        /// println!("{} is served with {:?}", ready.domain, ready.certificate.map(|c| c.id));
        /// # Ok(()) }
        /// ```
        pub async fn wait_for_certificate(&self, id: impl Into<String>, options: WaitOptions) -> crate::Result<ReservedDomain> {
            let id = id.into();
            wait_until(&what(&id), || self.get(id.as_str()), certificate_state, options).await
        }
    }

    #[cfg(feature = "blocking")]
    impl crate::reserved_domains::blocking::ReservedDomains {
        /// The blocking twin of the async
        /// [`wait_for_certificate`](ReservedDomains::wait_for_certificate):
        /// the same checks, delays and timeout, sleeping the thread.
        pub fn wait_for_certificate(&self, id: impl Into<String>, options: WaitOptions) -> crate::Result<ReservedDomain> {
            let id = id.into();
            crate::blocking::wait_until(&what(&id), || self.get(id.as_str()).send(), certificate_state, options)
        }
    }
}
