// The provider's six phases, each the ordered list of its steps. Every step lives in the file of
// its feature (provider/steps/); a new step is one file (or one entry in a feature's file) and one
// line here (CONTRIBUTING.md "Adding a lifecycle step").
import type * as pulumi from "@pulumi/pulumi";
import { adopt } from "../steps/adopt";
import { autoPayAgreement } from "../steps/auto-pay-agreement";
import { budget } from "../steps/budget";
import { duplicateGuard } from "../steps/duplicate-guard";
import { follow } from "../steps/follow";
import { inputs } from "../steps/inputs";
import { moveToPlugin } from "../steps/move-to-plugin";
import { onDestroy } from "../steps/on-destroy";
import { place } from "../steps/place";
import { previewPrice } from "../steps/preview-price";
import { reconcile } from "../steps/reconcile";
import { refresh } from "../steps/refresh";
import { settings } from "../steps/settings";
import type { CheckJob, DiffJob, HeldJob, PlaceJob } from "../lifecycle/jobs";
import type { Step } from "../lifecycle/step";

const CHECK: readonly Step<CheckJob, pulumi.dynamic.CheckResult>[] = [
  inputs.phase,
  reconcile.shown,
  inputs.check,
  settings.check,
  adopt.check,
  moveToPlugin.check,
  follow.check,
  onDestroy.check,
  previewPrice.check,
  duplicateGuard.check,
  autoPayAgreement.check,
  inputs.checkNotProvided,
  inputs.checkRunSettings,
  inputs.stopOnFailures,
  // From here on, only a resource that would place or adopt an order.
  inputs.endUnlessNew,
  adopt.announce,
  autoPayAgreement.announce,
  duplicateGuard.mark,
  // These go out together: the engine checks one resource at a time.
  budget.check,
  duplicateGuard.preview,
  previewPrice.quote,
  inputs.together,
];

const DIFF: readonly Step<DiffJob, pulumi.dynamic.DiffResult>[] = [
  reconcile.hold,
  inputs.diff,
  reconcile.diff,
  // No change to the order:
  follow.diff,
  onDestroy.diff,
  // A change to the order:
  place.diff,
  adopt.diff,
  autoPayAgreement.diff,
  budget.diff,
];

const CREATE: readonly Step<PlaceJob, pulumi.dynamic.CreateResult>[] = [
  inputs.markUpdate,
  inputs.parse,
  adopt.create,
  duplicateGuard.create,
  autoPayAgreement.create,
  place.create,
  follow.create,
];

const UPDATE: readonly Step<PlaceJob, pulumi.dynamic.UpdateResult>[] = [
  reconcile.hold,
  inputs.parse,
  reconcile.update,
  place.resume,
  follow.update,
];

const READ: readonly Step<HeldJob, pulumi.dynamic.ReadResult>[] = [
  reconcile.hold,
  reconcile.read,
  refresh.read,
];

/** Delete has no result: `true` ends it. */
const DELETE: readonly Step<HeldJob, true>[] = [reconcile.hold, reconcile.delete, onDestroy.delete];

export interface Phases {
  check: readonly Step<CheckJob, pulumi.dynamic.CheckResult>[];
  diff: readonly Step<DiffJob, pulumi.dynamic.DiffResult>[];
  create: readonly Step<PlaceJob, pulumi.dynamic.CreateResult>[];
  update: readonly Step<PlaceJob, pulumi.dynamic.UpdateResult>[];
  read: readonly Step<HeldJob, pulumi.dynamic.ReadResult>[];
  delete: readonly Step<HeldJob, true>[];
}

/** The lifecycle every order resource goes through. */
export const PHASES: Phases = {
  check: CHECK,
  diff: DIFF,
  create: CREATE,
  update: UPDATE,
  read: READ,
  delete: DELETE,
};
