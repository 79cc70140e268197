"""Appending an event is one round trip: lock the chain, read its head, hash and insert, in the database.

The chain lock is held from here until the transaction commits, so the shorter the work under it, the more
events per second. The application sends the event's canonical JSON in four parts (audit.chain.link_parts);
the function fills in what only the lock holder can know (the time, the previous hash and the position)
and hashes the joined text with SHA-256, byte for byte what audit.chain.event_hash computes.

The transaction's commit does not wait for the disk flush (synchronous_commit off, for this transaction
only), so the lock is released without waiting for the disk; record_event then waits for the flush after
the commit (see audit.services), when waits of concurrent writers share one flush. WAL order keeps the
chain whole in a crash: an event is never durable without the one it links to.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_append(
    lock_key bigint, part_a text, part_b text, part_c text, part_d text,
    p_actor_id bigint, p_actor text, p_action text, p_object_type text, p_object_id text,
    p_matter_id bigint, p_source_ip inet, p_request_id text, p_payload jsonb,
    OUT new_seq bigint, OUT new_occurred_at timestamptz, OUT new_prev_hash text, OUT new_hash text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    PERFORM pg_advisory_xact_lock(lock_key);
    -- A VOLATILE function takes a fresh snapshot per statement: this read sees every append committed
    -- while we waited for the lock.
    SELECT e.seq, e.hash, e.occurred_at INTO new_seq, new_prev_hash, new_occurred_at
        FROM audit_auditevent e ORDER BY e.seq DESC LIMIT 1;
    new_seq := coalesce(new_seq, 0) + 1;
    new_prev_hash := coalesce(new_prev_hash, repeat('0', 64));
    -- Times never go backwards along the chain (even if the clock is stepped back), so a time range is a
    -- range of positions: the explorer and exports rely on it.
    new_occurred_at := greatest(clock_timestamp(), new_occurred_at);
    new_hash := encode(sha256(convert_to(
        part_a || to_char(new_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || part_b
        || new_prev_hash || part_c || new_seq::text || part_d, 'UTF8')), 'hex');
    INSERT INTO audit_auditevent (seq, occurred_at, actor_id, actor, action, object_type, object_id, matter_id,
                                  source_ip, request_id, payload, prev_hash, hash)
    VALUES (new_seq, new_occurred_at, p_actor_id, p_actor, p_action, p_object_type, p_object_id, p_matter_id,
            p_source_ip, p_request_id, p_payload, new_prev_hash, new_hash);
END;
$$;
"""
BACKWARD = "DROP FUNCTION IF EXISTS audit_append(bigint, text, text, text, text, bigint, text, text, text, text, bigint, inet, text, jsonb);"


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_retention_path_and_search")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
