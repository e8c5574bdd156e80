-- Bifrost: schema changes of ThorDB's tables travel in the WAL stream, at their position.
--
-- Run as a superuser on ThorDB (event triggers need one); idempotent, so it can run again after an upgrade.
-- capture-service runs it itself when it logs in as a superuser; otherwise the database's init script runs it
-- (deploy/postgres/thordb-init.sh) and capture-service reports on /api/status whether it is installed.
--
-- After every DDL command that changes a table (CREATE, ALTER ... RENAME / ADD / DROP / ALTER COLUMN, keys,
-- REPLICA IDENTITY, SET SCHEMA), an event trigger writes the table's new shape (and those of its partitions and
-- inheritance children) into the WAL as a transactional logical-decoding message with the prefix 'bifrost'
-- (pg_logical_emit_message): it is decoded in the DDL's own transaction, after the rows written before the
-- change and before those written after it. DROP TABLE writes a 'drop' message. The shape names every column
-- with its attnum, so a rename stays a rename.
--
-- Security: the functions live in schema bifrost_ddl, owned by the superuser who runs this script, so that no
-- other role can replace what the trigger runs. Since any message with the prefix 'bifrost' would be taken for
-- a schema change, EXECUTE on pg_logical_emit_message is revoked from PUBLIC: grant it only to roles trusted
-- to change the replicas' shape (superusers keep it).

CREATE SCHEMA IF NOT EXISTS bifrost_ddl;
REVOKE CREATE ON SCHEMA bifrost_ddl FROM PUBLIC;
GRANT USAGE ON SCHEMA bifrost_ddl TO PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, bytea) FROM PUBLIC;

-- The type a target gives a column: the source's own, except that an enum or a composite becomes text and a
-- domain its base type. Their values' text is the same, so rows compare equal as text on both sides, and no
-- target needs the source's user-defined types (an enum value added on the source could not even be used in
-- the target transaction that adds it).
CREATE OR REPLACE FUNCTION bifrost_ddl.replicated_type(typ oid, typmod integer) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t pg_type;
    e pg_type;
BEGIN
    SELECT * INTO t FROM pg_type WHERE oid = typ;
    IF t.typtype = 'd' THEN
        RETURN bifrost_ddl.replicated_type(t.typbasetype, t.typtypmod);
    ELSIF t.typtype IN ('e', 'c') THEN
        RETURN 'text';
    ELSIF t.typcategory = 'A' AND t.typelem <> 0 THEN
        SELECT * INTO e FROM pg_type WHERE oid = t.typelem;
        IF e.typtype IN ('d', 'e', 'c') THEN
            RETURN bifrost_ddl.replicated_type(t.typelem, typmod) || '[]';
        END IF;
    END IF;
    RETURN format_type(typ, typmod);
END $$;

-- A table's shape as Bifrost replicates it. "key" marks the replication key: the columns of the replica
-- identity index if the table has one (REPLICA IDENTITY USING INDEX), else those of the primary key; none
-- for a keyless table. "missing" is the value that rows which existed when the column was added read.
-- The value that rows existing when a column was added read, as text: parsed with the column's own type, so
-- that a value with commas (a box, say) comes out whole.
CREATE OR REPLACE FUNCTION bifrost_ddl.missing_value(rel oid, col smallint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    value text;
BEGIN
    EXECUTE format('SELECT (%L::%s[])[1]::text',
                   (SELECT attmissingval::text FROM pg_attribute WHERE attrelid = rel AND attnum = col),
                   (SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = rel AND attnum = col))
        INTO value;
    RETURN value;
END $$;

-- Readable by every role, as the catalogs are: it runs with the caller's rights.
CREATE OR REPLACE FUNCTION bifrost_ddl.table_shape(rel oid) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    key int2[];
BEGIN
    SELECT i.indkey::int2[] INTO key FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE i.indrelid = rel AND i.indisreplident AND c.relreplident = 'i';
    IF key IS NULL THEN
        SELECT i.indkey::int2[] INTO key FROM pg_index i WHERE i.indrelid = rel AND i.indisprimary;
    END IF;
    RETURN (
        SELECT jsonb_build_object('oid', c.oid::bigint, 'schema', n.nspname, 'name', c.relname,
            'columns', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'name', a.attname,
                    'attnum', a.attnum,
                    'type', bifrost_ddl.replicated_type(a.atttypid, a.atttypmod),
                    'notnull', a.attnotnull,
                    'key', coalesce(a.attnum = ANY (key), false),
                    'generated', CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END,
                    'missing', CASE WHEN a.atthasmissing THEN bifrost_ddl.missing_value(c.oid, a.attnum) END)
                    ORDER BY a.attnum)
                FROM pg_attribute a
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = rel);
END $$;

CREATE OR REPLACE FUNCTION bifrost_ddl.capture_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel oid;
BEGIN
    FOR rel IN
        WITH RECURSIVE changed AS (
            SELECT DISTINCT coalesce(i.indrelid, c.oid) AS oid
            FROM pg_event_trigger_ddl_commands() d
            JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
            LEFT JOIN pg_index i ON i.indexrelid = c.oid
            UNION
            -- a change of a parent changes its partitions and inheritance children too
            SELECT h.inhrelid FROM pg_inherits h JOIN changed p ON h.inhparent = p.oid)
        SELECT oid FROM changed
    LOOP
        IF EXISTS (SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                   WHERE t.oid = rel AND t.relkind = 'r' AND t.relpersistence = 'p'
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'bifrost')
                     AND n.nspname NOT LIKE 'pg\_%') THEN
            PERFORM pg_logical_emit_message(true, 'bifrost',
                    jsonb_build_object('op', 'shape', 'table', bifrost_ddl.table_shape(rel))::text);
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION bifrost_ddl.capture_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT objid, schema_name, object_name FROM pg_event_trigger_dropped_objects()
             WHERE object_type = 'table' AND NOT is_temporary
    LOOP
        PERFORM pg_logical_emit_message(true, 'bifrost', jsonb_build_object('op', 'drop',
                'table', jsonb_build_object('oid', o.objid::bigint, 'schema', o.schema_name, 'name', o.object_name,
                                            'columns', '[]'::jsonb))::text);
    END LOOP;
END $$;

-- The version capture-service checks, to install a newer definition when it can.
COMMENT ON FUNCTION bifrost_ddl.capture_ddl() IS 'bifrost-ddl-capture 1';

DROP EVENT TRIGGER IF EXISTS bifrost_capture_ddl;
CREATE EVENT TRIGGER bifrost_capture_ddl ON ddl_command_end EXECUTE FUNCTION bifrost_ddl.capture_ddl();
DROP EVENT TRIGGER IF EXISTS bifrost_capture_drop;
CREATE EVENT TRIGGER bifrost_capture_drop ON sql_drop EXECUTE FUNCTION bifrost_ddl.capture_drop();
