"""Storage: SQLAlchemy models, repositories (never commit), migrations, tracker erasure."""
