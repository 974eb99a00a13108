"""The SSRF guard: every spelling of a private address is refused before anything is sent."""
from __future__ import annotations

import pytest

from kroniek.errors import FetchError
from kroniek.ingest.urlguard import check_url


def _no_dns(host: str, port: int):
    raise AssertionError(f"the guard resolved {host!r}, which is an address literal")


@pytest.mark.parametrize("url, kind", [
    ("http://127.0.0.1/", "loopback"),
    ("http://2130706433/", "loopback"),                 # decimal
    ("http://0x7f000001/", "loopback"),                 # hex
    ("http://0x7f.0.0.1/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),                 # octal
    ("http://017700000001/", "loopback"),
    ("http://127.1/", "loopback"),                      # short form
    ("http://127.0.0.1./", "loopback"),                 # trailing dot
    ("http://%31%32%37.0.0.1/", "loopback"),            # percent-escaped
    ("http://[::1]:8080/x", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),         # IPv4-mapped IPv6
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[2002:7f00:1::]/", "loopback"),            # 6to4 around 127.0.0.1
    ("http://10.0.0.1/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://0xc0a80101/", "private"),                  # 192.168.1.1 in hex
    ("http://[fd00::1]/", "private"),
    ("http://[64:ff9b::a00:1]/", "private"),            # NAT64 around 10.0.0.1
    ("http://169.254.169.254/latest/meta-data/", "link-local"),   # cloud metadata
    ("http://[fe80::1%25eth0]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://240.0.0.1/", "reserved"),
    ("http://100.64.0.1/", "not publicly routable"),    # carrier-grade NAT
])
def test_private_addresses_in_every_spelling_are_refused(url, kind):
    with pytest.raises(FetchError) as caught:
        check_url(url, resolve=_no_dns)
    assert caught.value.code == "K301"
    assert kind in caught.value.reason and "nothing was requested" in caught.value.reason


@pytest.mark.parametrize("url, address", [
    ("http://8.8.8.8/", "8.8.8.8"),
    ("https://134744072/", "8.8.8.8"),
    ("http://[2001:4860:4860::8888]/", "2001:4860:4860::8888"),
    ("http://[::ffff:8.8.8.8]/", "::ffff:808:808"),
])
def test_public_addresses_pass_and_are_what_is_connected_to(url, address):
    assert check_url(url, resolve=_no_dns).address == address


def test_a_name_is_judged_by_every_address_it_resolves_to():
    answers = {"news.example": ["93.184.216.34"], "rebind.example": ["93.184.216.34", "10.0.0.7"],
               "intranet.example": ["192.168.0.10"]}

    def resolve(host, port):
        return answers[host]

    checked = check_url("https://news.example/a", resolve=resolve)
    assert (checked.address, checked.host, checked.port, checked.host_header) == \
        ("93.184.216.34", "news.example", 443, "news.example")
    for host, shown in (("rebind.example", "10.0.0.7"), ("intranet.example", "192.168.0.10")):
        with pytest.raises(FetchError) as caught:
            check_url(f"http://{host}/", resolve=resolve)
        assert caught.value.code == "K301" and shown in caught.value.reason


def test_localhost_is_refused_through_the_system_resolver():
    with pytest.raises(FetchError) as caught:
        check_url("http://localhost:8000/")
    assert caught.value.code == "K301"


def test_allow_private_hosts_lifts_the_refusal_but_still_pins_the_address():
    checked = check_url("http://0x7f.1:8080/feed", allow_private=True, resolve=_no_dns)
    assert (checked.address, checked.port, checked.host_header) == ("127.0.0.1", 8080, "0x7f.1:8080")


@pytest.mark.parametrize("url, code", [
    ("ftp://example.org/x", "K302"), ("file:///etc/passwd", "K302"), ("gopher://x/", "K302"),
    ("http:///nohost", "K302"), ("http://08.1/", "K302"), ("http://1.2.3.4.5/", "K302"),
    ("http://example.org:99999/", "K302"),
])
def test_urls_that_are_not_fetchable_are_refused(url, code):
    with pytest.raises(FetchError) as caught:
        check_url(url, resolve=_no_dns)
    assert caught.value.code == code


def test_a_name_that_does_not_resolve_is_k303():
    def resolve(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(FetchError) as caught:
        check_url("http://no-such-host.example/", resolve=resolve)
    assert caught.value.code == "K303" and "no-such-host.example" in caught.value.reason
