"""The security headers that every response carries (set by web.middleware)."""

from __future__ import annotations

#: Scripts and styles come only from web/static: no inline code, no CDN, no external fonts.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    # Queries are in our URLs: other sites need not see them.
    "Referrer-Policy": "same-origin",
}
