"""Every change to study data is recorded: who, when, which record, what changed."""

from sqlalchemy import select

from core.audit import Actor, AuditEvent, acting_as, study_trail
from studies.models import BusinessComponent


def test_create_update_delete_are_recorded_with_actor_and_changes(session, make_study) -> None:
    study = make_study()
    with acting_as(Actor("user:irene@example.test", None)):
        project = BusinessComponent(study_id=study.id, code="rag", name="Retrieval",
                                    sub_sector="ai_native_product_engineering")
        session.add(project)
        session.commit()
        project.name = "Citation-aware retrieval"
        session.commit()
        session.delete(project)
        session.commit()
    events = [e for e in study_trail(session, study.id) if e.record_type == "business_components"]
    assert [e.action for e in events] == ["delete", "update", "create"]
    assert {e.actor_label for e in events} == {"user:irene@example.test"}
    assert events[1].changes == {"name": ["Retrieval", "Citation-aware retrieval"]}
    assert events[2].changes["code"] == "rag"
    assert [e.record_id for e in events] == [str(project.id)] * 3


def test_secrets_never_reach_the_trail(session, make_user) -> None:
    user = make_user()
    user.password_hash = "$argon2id$changed"
    session.commit()
    rows = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "users")).all()
    assert rows and all("argon2" not in str(row.changes) for row in rows)
    assert rows[-1].changes == {"password_hash": ["<hidden>", "<hidden>"]}


def test_trail_page_lists_changes_for_admin(client, session, make_user, make_study, sign_in) -> None:
    from studies.models import Role
    admin = make_user()
    study = make_study(members={admin: Role.ADMIN})
    sign_in(admin)
    page = client.get(f"/studies/{study.slug}/audit").get_data(as_text=True)
    assert "memberships" in page and "create" in page
