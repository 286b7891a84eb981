"""guide_progress: where each user is in their safe-migration guide

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guide_progress",
        sa.Column("sender_id", sa.String(64), primary_key=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("guide_progress")
