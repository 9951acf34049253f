"""An e-mail backend for the worker test: files, like Django's, but each send takes a moment.

A real SMTP server answers in tens of milliseconds; without that pause every
delivery would be done before the test could kill the broker in the middle.
"""

import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.05)
        return super().send_messages(email_messages)
