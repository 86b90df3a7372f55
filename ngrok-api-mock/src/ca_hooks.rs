//! What the running server tells of the certificate authority it issues
//! client certificates from.

impl crate::MockServer {
    /// The PEM certificate of the emulator's own certificate authority,
    /// which signs the client certificate of every Kubernetes operator
    /// binding given a certificate signing request (`binding.csr`): trust
    /// it to check those certificates. One authority serves the whole
    /// process.
    pub fn operator_ca_pem(&self) -> Result<String, crate::MockError> {
        crate::issue::authority_pem().map_err(crate::MockError::Authority)
    }
}
