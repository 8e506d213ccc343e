//! A certificate authority of the fake server's own, and a certificate it
//! signs for `127.0.0.1` and `localhost`: a self-signed server, as many
//! cPanel servers are, that a client trusts only when told to.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// How an HTTPS fake server's certificate is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certificate {
    /// Signed by a CA of its own.
    SignedByCa,
    /// Self-signed and marked as a CA (`CA:TRUE`), as a fresh cPanel
    /// server's is.
    SelfSignedCa,
}

/// A TLS acceptor and the PEM to trust: the CA that signed its
/// certificate, or the certificate itself.
pub(super) fn acceptor(kind: Certificate) -> std::io::Result<(TlsAcceptor, String)> {
    match kind {
        Certificate::SignedByCa => self_signed(),
        Certificate::SelfSignedCa => self_signed_ca(),
    }
}

/// A certificate for `127.0.0.1` and `localhost` that signs itself and
/// says it is a CA.
fn self_signed_ca() -> std::io::Result<(TlsAcceptor, String)> {
    let key = KeyPair::generate().map_err(rcgen_error)?;
    let mut params = for_loopback()?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).map_err(rcgen_error)?;
    let pem = cert.pem();
    Ok((serve(cert.der().to_vec(), &key)?, pem))
}

/// What a loopback server's certificate says: `localhost` and `127.0.0.1`.
fn for_loopback() -> std::io::Result<CertificateParams> {
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).map_err(rcgen_error)?;
    params
        .subject_alt_names
        .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    Ok(params)
}

fn rcgen_error(e: rcgen::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

fn serve(der: Vec<u8>, key: &KeyPair) -> std::io::Result<TlsAcceptor> {
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let chain = vec![CertificateDer::from(der)];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(std::io::Error::other)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// A TLS acceptor and the PEM of the CA that signed its certificate.
fn self_signed() -> std::io::Result<(TlsAcceptor, String)> {
    let ca_key = KeyPair::generate().map_err(rcgen_error)?;
    let mut ca_params = CertificateParams::new(Vec::new()).map_err(rcgen_error)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "whm-runtime fake server CA");
    let ca = ca_params.self_signed(&ca_key).map_err(rcgen_error)?;
    let issuer = rcgen::Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().map_err(rcgen_error)?;
    let cert = for_loopback()?
        .signed_by(&key, &issuer)
        .map_err(rcgen_error)?;
    Ok((serve(cert.der().to_vec(), &key)?, ca.pem()))
}
