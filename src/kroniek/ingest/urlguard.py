"""The SSRF guard: every URL Kroniek fetches or posts to is checked here before anything is sent.

A URL from a feed, a sitemap, a redirect, a list of URLs or a webhook setting may point at this machine or at
the user's own network (a router's admin page, a cloud metadata service at 169.254.169.254). The guard parses
the host the way a C resolver would (so ``2130706433``, ``0x7f.1`` and ``0177.0.0.1`` are all 127.0.0.1),
resolves names, and refuses the URL when any address it resolves to is not a public one. The fetcher then
connects to the very address that was checked (see fetch.py), so a name cannot resolve to a public address
for the check and to a private one for the connection.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Callable, Sequence
from urllib.parse import unquote, urlsplit

from ..errors import FetchError

__all__ = ["CheckedURL", "check_url", "is_url", "address_problem", "Resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
_PART = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")
_NUMBERISH = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True)
class CheckedURL:
    """A URL that passed the guard, with the address to connect to."""
    url: str
    scheme: str
    host: str              # as written in the URL (lower case, IDNA), without brackets
    port: int
    address: str           # the checked address to connect to

    @property
    def host_header(self) -> str:
        """The Host header the server expects: the name, with the port when it is not the default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def is_url(text: str) -> bool:
    """Whether a command-line argument is meant as a URL (http or https), not a path."""
    return text[:8].lower().startswith(("http://", "https://"))


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """An IPv4 address in any spelling inet_aton accepts (1 to 4 parts, decimal, octal or hex), or None."""
    parts = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_PART.fullmatch(p) for p in parts):
        return None
    values = [int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if p.startswith("0") else int(p) for p in parts]
    *head, last = values
    if any(v > 255 for v in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    number = last
    for i, v in enumerate(head):
        number |= v << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def _literal(host: str) -> IPAddress | None:
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    return _numeric_ipv4(host)


def address_problem(address: IPAddress) -> str | None:
    """Why an address must not be fetched from (e.g. 'a loopback address'), or None for a public address.

    An IPv6 address that carries an IPv4 address (IPv4-mapped, 6to4, NAT64, Teredo) is judged by that one.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            problem = address_problem(embedded)
            return f"{problem} inside an IPv6 address ({embedded})" if problem else None
    for kind in ("loopback", "unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            name = kind.replace("_", "-")
            return f"{'an' if name[0] in 'aeiou' else 'a'} {name} address"
    if not address.is_global:
        return "an address that is not publicly routable"
    return None


def check_url(url: str, *, allow_private: bool = False, resolve: Resolver | None = None) -> CheckedURL:
    """Check a URL before anything is sent to it; returns the address to connect to.

    Raises:
        FetchError: K302 (not an http(s) URL with a host), K303 (the name does not resolve) or K301 (an
            address it resolves to is loopback, private, link-local, multicast, unspecified or reserved;
            skipped with ``allow_private``).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError("K302", url, f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("K302", url, f"only http and https URLs can be fetched, not {scheme or 'a bare path'!r}")
    # Percent-escapes in a host are decoded by browsers and some libraries: judge the decoded name.
    host = unquote(parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError("K302", url, "the URL has no host")
    port = port or (443 if scheme == "https" else 80)
    literal = _literal(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    elif ":" in host or all(_NUMBERISH.fullmatch(p) for p in host.split(".")):
        # Looks numeric but is no address (e.g. 08.1 or 1.2.3.4.5): resolvers disagree on such names.
        raise FetchError("K302", url, f"{host!r} is neither a host name nor an IP address")
    else:
        try:
            host = host.encode("idna").decode("ascii")
            found = (resolve or _system_resolver)(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError("K303", url, f"host {host!r} not found ({exc})") from None
        addresses = []
        for text in found:
            try:
                addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
            except ValueError:
                continue
        if not addresses:
            raise FetchError("K303", url, f"host {host!r} not found (no address)")
    if not allow_private:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                shown = host if literal is not None else f"{host} ({address})"
                raise FetchError("K301", url, f"refused: {shown} is {problem} and nothing was "
                                              "requested; pass --allow-private-hosts for a server you run yourself")
    return CheckedURL(url=url.strip(), scheme=scheme, host=host, port=port, address=str(addresses[0]))
