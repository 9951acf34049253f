"""Pages and other text sent gzipped to the browsers that accept it; files that are compressed already, as they are.

Issue 20 measured PC06's board at 1 154 KB of HTML, 51 KB gzipped; on a slow line the dashboard spent
1,2 s of its 1,65 s receiving HTML. The web process compresses, not only a proxy in front of it, so
`make run` and gunicorn in docker-compose behave the same. Static files are not this middleware's:
WhiteNoise, above it, serves them compressed ahead of time.

BREACH (Django's documentation warns of it): gzip over TLS leaks, through the length of responses, a
secret that sits in a page beside text the attacker chooses, if the attacker can watch the traffic and
make the victim's browser ask for the page many times. What guards these pages:
- the CSRF token is masked afresh in every response (Django since 1.10), so it never repeats to be guessed;
- the session cookie is never in a body, and it is SameSite=Lax (Django's default): another site's
  scripts, images and fetches reach these pages without it, so they cannot request signed-in pages
  at will;
- Django's GZipMiddleware adds up to 100 random bytes to each compressed response (since 4.2, the
  "Heal the Breach" mitigation), so equal lengths no longer tell the attacker a guess was right;
- beyond the token, the pages hold no secret, only figures their reader may read.
"""

from django.middleware.gzip import GZipMiddleware

# What gzip shrinks. PDF, XLSX and DOCX (zip archives), JPEG and PNG are compressed already: gzipping a
# download again costs the server CPU for nothing and drops the Content-Length that shows its progress.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
