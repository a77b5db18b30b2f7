"""API-side key pair operations: import, generate, list, delete.

SSH keys are parsed with ``cryptography`` (which rejects malformed keys)
and fingerprinted the OpenSSH way: the MD5 of the decoded key blob as
colon-separated hex. x509 certificates (from 2.2) are fingerprinted with
the SHA1 of their DER encoding, the way ``openssl x509 -fingerprint``
prints it.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from typing import Any

from cryptography import exceptions as crypto_exceptions
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from nova import context as nova_context
from nova import exception
from nova import quota
from nova.db.api import keypairs as keypairs_db
from nova.i18n import _

SSH = 'ssh'
X509 = 'x509'
_GENERATED_COMMENT = 'Generated-by-Nova'


def get_keypair(context: nova_context.RequestContext, user_id: str,
                name: str) -> dict[str, Any]:
    """A user's key pair by name (KeypairNotFound otherwise)."""
    return keypairs_db.key_pair_get(context, user_id, name)


def list_keypairs(context: nova_context.RequestContext, user_id: str,
                  limit: int | None = None, marker: str | None = None
                  ) -> list[dict[str, Any]]:
    """By name; an unknown ``marker`` is a 400 as upstream."""
    try:
        return keypairs_db.key_pair_get_all_by_user(context, user_id,
                                                    limit=limit,
                                                    marker=marker)
    except exception.MarkerNotFound:
        raise exception.Invalid(
            reason=_('marker [%s] not found') % marker) from None


def delete_keypair(context: nova_context.RequestContext, user_id: str,
                   name: str) -> None:
    keypairs_db.key_pair_destroy(context, user_id, name)


def import_keypair(context: nova_context.RequestContext, user_id: str,
                   name: str, public_key: str, key_type: str = SSH
                   ) -> dict[str, Any]:
    """Store a caller-supplied public key (or certificate)."""
    fingerprint = fingerprint_of(public_key, key_type)
    return _create(context, user_id, name, public_key, fingerprint,
                   key_type)


def generate_keypair(context: nova_context.RequestContext, user_id: str,
                     name: str, key_type: str = SSH) -> dict[str, Any]:
    """Make a new key pair; the result alone carries ``private_key``."""
    # Check the quota before the (slow) key generation.
    _check_quota(context, user_id)
    private_key, public_key = _generate(user_id, key_type)
    keypair = _create(context, user_id, name, public_key,
                      fingerprint_of(public_key, key_type), key_type)
    keypair['private_key'] = private_key
    return keypair


def fingerprint_of(public_key: str, key_type: str = SSH) -> str:
    """The fingerprint of an OpenSSH public key or a PEM certificate."""
    if key_type == X509:
        try:
            cert = x509.load_pem_x509_certificate(
                public_key.strip().encode('utf-8'))
        except ValueError:
            raise exception.InvalidKeypair(
                reason=_('failed to generate X509 fingerprint; the public '
                         'key must be a PEM certificate')) from None
        # SHA1 identifies the certificate here; it protects nothing.
        digest = cert.fingerprint(hashes.SHA1())
        return _colons(digest)
    try:
        key = serialization.load_ssh_public_key(
            public_key.strip().encode('utf-8'))
        # Re-encoding normalises the key; its second word is the blob
        # OpenSSH fingerprints.
        blob = key.public_bytes(serialization.Encoding.OpenSSH,
                                serialization.PublicFormat.OpenSSH)
        raw = base64.b64decode(blob.split()[1])
    except (ValueError, IndexError, UnicodeError,
            crypto_exceptions.UnsupportedAlgorithm) as exc:
        raise exception.InvalidKeypair(
            reason=_('failed to generate fingerprint')) from exc
    return _colons(hashlib.md5(raw, usedforsecurity=False).digest())


def _colons(digest: bytes) -> str:
    return ':'.join(f'{byte:02x}' for byte in digest)


def _generate(user_id: str, key_type: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # PKCS#1 ("BEGIN RSA PRIVATE KEY") is what every ssh client reads.
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode('ascii')
    if key_type == X509:
        return private_pem, _self_signed(key, user_id)
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode('ascii')
    return private_pem, f'{public} {_GENERATED_COMMENT}\n'


def _self_signed(key: rsa.RSAPrivateKey, user_id: str) -> str:
    subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME,
                                            user_id or 'nova')])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode('ascii')


def _check_quota(context: nova_context.RequestContext, user_id: str,
                 delta: int = 1) -> None:
    try:
        quota.check_deltas(context, context.project_id, user_id,
                           'key_pairs', delta)
    except exception.OverQuota:
        raise exception.KeypairLimitExceeded() from None


def _create(context: nova_context.RequestContext, user_id: str, name: str,
            public_key: str, fingerprint: str,
            key_type: str) -> dict[str, Any]:
    _check_quota(context, user_id)
    keypair = keypairs_db.key_pair_create(context, {
        'name': name, 'user_id': user_id, 'public_key': public_key,
        'fingerprint': fingerprint, 'type': key_type})
    # The count check above can race with another create of the same
    # user; counting again after the insert catches the overshoot, and
    # the loser removes its own key pair.
    limit = quota.get_limits(context, context.project_id,
                             user_id)['key_pairs']
    if (limit != quota.UNLIMITED and
            keypairs_db.key_pair_count_by_user(context, user_id) > limit):
        keypairs_db.key_pair_destroy(context, user_id, name)
        raise exception.KeypairLimitExceeded()
    return keypair
