"""users.awaiting; recruiter reports and their normalised contacts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("awaiting", sa.String(16), nullable=True))
    op.create_table(
        "recruiter_reports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reporter", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_recruiter_reports_reporter", "recruiter_reports", ["reporter"])
    op.create_table(
        "reported_contacts",
        sa.Column("report_id", sa.Integer(),
                  sa.ForeignKey("recruiter_reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("contact", sa.String(255), primary_key=True),
    )
    op.create_index("ix_reported_contacts_contact", "reported_contacts", ["contact"])


def downgrade() -> None:
    op.drop_index("ix_reported_contacts_contact", "reported_contacts")
    op.drop_table("reported_contacts")
    op.drop_index("ix_recruiter_reports_reporter", "recruiter_reports")
    op.drop_table("recruiter_reports")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("awaiting")
