-- Bifrost: schema changes of ThorDB's tables travel in the WAL stream, at their position.
--
-- Run as a superuser on ThorDB (event triggers need one); idempotent, so it can run again after an upgrade.
-- capture-service runs it itself when it logs in as a superuser; otherwise the database's init script runs it
-- (deploy/postgres/thordb-init.sh) and capture-service reports on /api/status whether it is installed.
--
-- After every DDL command that changes a table (CREATE, ALTER ... RENAME / ADD / DROP / ALTER COLUMN, keys,
-- REPLICA IDENTITY, SET SCHEMA), an event trigger writes the table's new shape into the WAL as a transactional
-- logical-decoding message with the prefix 'bifrost' (pg_logical_emit_message): it is decoded in the DDL's
-- own transaction, after the rows written before the change and before those written after it. DROP TABLE
-- writes a 'drop' message. The shape names every column with its attnum, so a rename stays a rename.

CREATE SCHEMA IF NOT EXISTS bifrost;

-- The type a target gives a column: the source's own, except that an enum or a composite becomes text and a
-- domain its base type. Their values' text is the same, so rows compare equal as text on both sides, and no
-- target needs the source's user-defined types (an enum value added on the source could not even be used in
-- the target transaction that adds it).
CREATE OR REPLACE FUNCTION bifrost.replicated_type(typ oid, typmod integer) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t pg_type;
    e pg_type;
BEGIN
    SELECT * INTO t FROM pg_type WHERE oid = typ;
    IF t.typtype = 'd' THEN
        RETURN bifrost.replicated_type(t.typbasetype, t.typtypmod);
    ELSIF t.typtype IN ('e', 'c') THEN
        RETURN 'text';
    ELSIF t.typcategory = 'A' AND t.typelem <> 0 THEN
        SELECT * INTO e FROM pg_type WHERE oid = t.typelem;
        IF e.typtype IN ('d', 'e', 'c') THEN
            RETURN bifrost.replicated_type(t.typelem, typmod) || '[]';
        END IF;
    END IF;
    RETURN format_type(typ, typmod);
END $$;

-- A table's shape as Bifrost replicates it. "key" marks the replication key: the columns of the replica
-- identity index if the table has one (REPLICA IDENTITY USING INDEX), else those of the primary key; none
-- for a keyless table. "missing" is the value that rows which existed when the column was added read.
CREATE OR REPLACE FUNCTION bifrost.table_shape(rel oid) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
                    'type', bifrost.replicated_type(a.atttypid, a.atttypmod),
                    'notnull', a.attnotnull,
                    'key', coalesce(a.attnum = ANY (key), false),
                    'generated', CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END,
                    'missing', CASE WHEN a.atthasmissing THEN (a.attmissingval::text::text[])[1] END)
                    ORDER BY a.attnum)
                FROM pg_attribute a
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::jsonb))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = rel);
END $$;

CREATE OR REPLACE FUNCTION bifrost.capture_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel oid;
BEGIN
    FOR rel IN
        SELECT DISTINCT coalesce(i.indrelid, c.oid)
        FROM pg_event_trigger_ddl_commands() d
        JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
        LEFT JOIN pg_index i ON i.indexrelid = c.oid
    LOOP
        IF EXISTS (SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                   WHERE t.oid = rel AND t.relkind IN ('r', 'p') AND t.relpersistence = 'p'
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'bifrost')
                     AND n.nspname NOT LIKE 'pg\_%') THEN
            PERFORM pg_logical_emit_message(true, 'bifrost',
                    jsonb_build_object('op', 'shape', 'table', bifrost.table_shape(rel))::text);
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION bifrost.capture_drop() RETURNS event_trigger
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
COMMENT ON FUNCTION bifrost.capture_ddl() IS 'bifrost-ddl-capture 1';

DROP EVENT TRIGGER IF EXISTS bifrost_capture_ddl;
CREATE EVENT TRIGGER bifrost_capture_ddl ON ddl_command_end EXECUTE FUNCTION bifrost.capture_ddl();
DROP EVENT TRIGGER IF EXISTS bifrost_capture_drop;
CREATE EVENT TRIGGER bifrost_capture_drop ON sql_drop EXECUTE FUNCTION bifrost.capture_drop();
