//! Trusting a server's own certificates: a CA that signs them, or the
//! certificate itself.
//!
//! A fresh cPanel server presents a self-signed certificate, often marked
//! as a CA (`CA:TRUE`). Given as a root, such a certificate is refused by
//! WebPKI when the server presents it as its own ("CA used as end
//! entity"), though the user said to trust exactly it. So a certificate
//! given with [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate)
//! is a root for chains as usual, and, when the server presents that very
//! certificate (byte for byte), it is trusted as pinned: whoever holds its
//! private key is the server the user meant, whatever names it carries.

use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

use crate::error::Error;

/// The certificates in `pem`, or an error when it holds none (a key, an
/// empty or unrelated file).
pub(crate) fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|e| Error::Config(format!("cannot read the root certificate: {e}")))?;
    if certs.is_empty() {
        return Err(Error::Config(
            "the root certificate file holds no certificate (no `-----BEGIN CERTIFICATE-----` block)"
                .to_owned(),
        ));
    }
    Ok(certs)
}

/// A TLS configuration that trusts the system's roots, `pems` as roots,
/// and each of `pems` as a pinned server certificate.
pub(crate) fn config(pems: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    let mut pinned = Vec::new();
    for pem in pems {
        pinned.extend(certificates(pem)?);
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = |e: rustls::Error| Error::Config(format!("cannot set up TLS: {e}"));
    let chains =
        rustls_platform_verifier::Verifier::new_with_extra_roots(pinned.clone(), provider.clone())
            .map_err(tls)?;
    let verifier = Pinned { chains, pinned };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Chains checked as the platform checks them; a pinned certificate
/// accepted as itself.
#[derive(Debug)]
struct Pinned {
    chains: rustls_platform_verifier::Verifier,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.chains.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => Ok(verified),
            Err(_)
                if self
                    .pinned
                    .iter()
                    .any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => Err(e),
        }
    }

    // The handshake's signature is checked whatever vouched for the
    // certificate: it proves the server holds the certificate's key.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chains.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chains.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.chains.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_a_certificate_is_refused() {
        for pem in [
            &b""[..],
            b"not a certificate",
            b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
        ] {
            let e = certificates(pem).unwrap_err();
            assert!(e.to_string().contains("no certificate"), "{e}");
        }
    }
}
