-- generated from examples/glance/image-statuses.toml — edit the spec, not this file
-- statusdoc sql (PostgreSQL): the statuses and transitions of the spec, enforced by a
-- CHECK constraint and triggers. Every statement can run again; run them in one
-- transaction: psql -v ON_ERROR_STOP=1 --single-transaction -f FILE

DROP TRIGGER IF EXISTS "statusdoc_images_status_insert" ON "public"."images";

DROP TRIGGER IF EXISTS "statusdoc_images_status_update" ON "public"."images";

ALTER TABLE "public"."images" DROP CONSTRAINT IF EXISTS "statusdoc_status_check";

ALTER TABLE "public"."images" ADD CONSTRAINT "statusdoc_status_check"
  CHECK (("status"::text IS NOT NULL AND "status"::text IN ('queued', 'saving', 'active', 'killed', 'deleted', 'pending_delete')));

CREATE OR REPLACE FUNCTION "public"."statusdoc_images_status"() RETURNS trigger LANGUAGE plpgsql AS $statusdoc$
DECLARE
  src text;
  dst text;
  bad text;
  head text;
  tail text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (CASE
      WHEN OLD."status"::text = 'queued' THEN (NEW."status"::text IS NOT NULL AND NEW."status"::text IN ('saving', 'active', 'deleted'))
      WHEN OLD."status"::text = 'saving' THEN (NEW."status"::text IS NOT NULL AND NEW."status"::text IN ('active', 'killed', 'deleted'))
      WHEN OLD."status"::text = 'active' THEN (NEW."status"::text IS NOT NULL AND NEW."status"::text IN ('queued', 'deleted', 'pending_delete'))
      WHEN OLD."status"::text = 'killed' THEN (NEW."status"::text IS NOT NULL AND NEW."status"::text IN ('deleted'))
      WHEN OLD."status"::text = 'pending_delete' THEN (NEW."status"::text IS NOT NULL AND NEW."status"::text IN ('deleted'))
      ELSE FALSE END) THEN
      RETURN NEW;
    END IF;
  ELSIF (NEW."status"::text IS NOT NULL AND NEW."status"::text IN ('queued')) THEN
    RETURN NEW;
  END IF;
  -- refused: find the message
  src := OLD."status"::text;
  dst := NEW."status"::text;
  bad := dst;
  tail := '';
  IF TG_OP = 'INSERT' THEN
    head := 'image: "public"."images"."status" must start at one of ''queued'', not ';
  ELSIF src = 'queued' THEN
    head := 'image: "public"."images"."status": transition ''queued'' -> ';
    tail := ' is not allowed (allowed from ''queued'': ''active'', ''deleted'', ''saving'')';
  ELSIF src = 'saving' THEN
    head := 'image: "public"."images"."status": transition ''saving'' -> ';
    tail := ' is not allowed (allowed from ''saving'': ''active'', ''deleted'', ''killed'')';
  ELSIF src = 'active' THEN
    head := 'image: "public"."images"."status": transition ''active'' -> ';
    tail := ' is not allowed (allowed from ''active'': ''deleted'', ''pending_delete'', ''queued'')';
  ELSIF src = 'killed' THEN
    head := 'image: "public"."images"."status": transition ''killed'' -> ';
    tail := ' is not allowed (allowed from ''killed'': ''deleted'')';
  ELSIF src = 'deleted' THEN
    head := 'image: "public"."images"."status": transition ''deleted'' -> ';
    tail := ' is not allowed (''deleted'' is final: no transition leaves it)';
  ELSIF src = 'pending_delete' THEN
    head := 'image: "public"."images"."status": transition ''pending_delete'' -> ';
    tail := ' is not allowed (allowed from ''pending_delete'': ''deleted'')';
  ELSE
    bad := src;
  END IF;
  IF head IS NULL OR NOT (dst IS NOT NULL AND dst IN ('queued', 'saving', 'active', 'killed', 'deleted', 'pending_delete')) THEN
    RAISE EXCEPTION USING
      ERRCODE = 'check_violation',
      MESSAGE = 'image: "public"."images"."status": unknown status ' || CASE WHEN bad IS NULL THEN 'NULL' ELSE '''' || replace(bad, '''', '''''') || '''' END || ' (known: ''queued'', ''saving'', ''active'', ''killed'', ''deleted'', ''pending_delete'')',
      SCHEMA = 'public',
      TABLE = 'images',
      COLUMN = 'status';
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'check_violation',
    MESSAGE = head || CASE WHEN dst IS NULL THEN 'NULL' ELSE '''' || replace(dst, '''', '''''') || '''' END || tail,
    SCHEMA = 'public',
    TABLE = 'images',
    COLUMN = 'status';
END;
$statusdoc$;

COMMENT ON FUNCTION "public"."statusdoc_images_status"() IS 'statusdoc sha256:1012dc74c2c252e04236792a064a12fa00a3e7024a6d8f3167d60fa88b60f6d5 machine image spec examples/glance/image-statuses.toml';

CREATE TRIGGER "statusdoc_images_status_insert"
  BEFORE INSERT ON "public"."images" FOR EACH ROW
  EXECUTE FUNCTION "public"."statusdoc_images_status"();

CREATE TRIGGER "statusdoc_images_status_update"
  BEFORE UPDATE ON "public"."images" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "public"."statusdoc_images_status"();
