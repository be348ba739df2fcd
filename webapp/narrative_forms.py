"""Forms of the interview and narrative pages; CSRF comes with FlaskForm.

The answers of an interview are not a WTForms form: their fields come from the project's
guide, so the view reads ``answer-<key>`` and ``quote-<key>`` and the service checks them.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, Form, HiddenField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional


class StartInterviewForm(FlaskForm):
    # The form only parses; narratives.interviews checks every field and says what is wrong.
    interviewee_name = StringField("Interviewee's name")
    interviewee_role = StringField("Role")
    held_on = DateField("Held on")


class NarrativeForm(FlaskForm):
    # Length and emptiness are checked by narratives.versions, with messages that say what to do.
    markdown = TextAreaField("Narrative (Markdown)")
    note = StringField("What changed (optional)")
    base_number = HiddenField()
    save = SubmitField("Save as new version")
    preview = SubmitField("Preview")

    def base(self) -> int | None:
        value = (self.base_number.data or "").strip()
        return int(value) if value.isdigit() else None


class DiffForm(Form):
    """Which two versions to compare, read from the query string."""

    old = IntegerField("From version", validators=[Optional()])
    new = IntegerField("To version", validators=[Optional()])
