-- generated from examples/glance/image-statuses.toml — edit the spec, not this file
-- statusdoc sql (PostgreSQL): removes what the spec's sql output installs. Every
-- statement can run again.

DROP TRIGGER IF EXISTS "statusdoc_images_status_insert" ON "public"."images";

DROP TRIGGER IF EXISTS "statusdoc_images_status_update" ON "public"."images";

DROP FUNCTION IF EXISTS "public"."statusdoc_images_status"();

ALTER TABLE IF EXISTS "public"."images" DROP CONSTRAINT IF EXISTS "statusdoc_status_check";
