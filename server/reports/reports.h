// SPDX-License-Identifier: AGPL-3.0-or-later
// Reports: the citizen's submission and the admin's response, with the audit trail.
//
// Status machine (who may move it):
//   submitted    -> acknowledged, dispatched*, rejected, duplicate          (admin)
//   acknowledged -> dispatched*, rejected, duplicate                        (admin)
//   dispatched   -> in_progress (assigned driver, admin), resolved (driver, admin),
//                   acknowledged (admin: recall the truck; the driver: "could not clean",
//                   with a reason), rejected (admin)
//   in_progress  -> resolved (assigned driver, admin), dispatched (admin),
//                   acknowledged (admin; the driver: "could not clean", with a reason)
//   resolved     -> acknowledged (admin: reopen)
//   rejected     -> acknowledged (admin: reopen)
//   duplicate    -> (final)
// * dispatched only through Dispatch (a vehicle is needed). Anything else is Conflict.
// Every change writes an event_logs row and the notifications in the same transaction.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/geo_math.h"
#include "core/status.h"
#include "events/events.h"
#include "http/message.h"
#include "http/response_cache.h"
#include "http/router.h"
#include "media/media.h"
#include "notify/notify.h"
#include "storage/database.h"

namespace cleanai {

// A report's place in the status machine above. The names ("in_progress", …) are what the
// database, the API and the audit trail use; inside the domain it is this enum.
enum class ReportStatus {
  kSubmitted,
  kAcknowledged,
  kDispatched,
  kInProgress,
  kResolved,
  kRejected,
  kDuplicate
};
std::string_view StatusName(ReportStatus s);
std::optional<ReportStatus> ParseStatus(std::string_view name);
// submitted, acknowledged, dispatched or in progress: work still to do.
bool IsOpen(ReportStatus s);

enum class Priority { kLow, kMedium, kHigh, kUrgent };
std::string_view PriorityName(Priority p);
std::optional<Priority> ParsePriority(std::string_view name);
// One step up: low -> medium -> high -> urgent (urgent stays).
Priority Raised(Priority p);

struct WasteType {
  std::string code;   // plastic, organic, …
  std::string label;  // English
  std::string label_ur;
  Priority priority;  // default priority for this type
  std::string description;
};
// The fixed list, in display order.
const std::vector<WasteType>& WasteTypes();
// Their codes, in the same order (the AI's class mapping and data set speak codes).
const std::vector<std::string>& WasteTypeCodes();
const WasteType* FindWasteType(const std::string& code);

// Sizes, smallest first: how much is there (drives truck capacity planning).
const std::vector<std::string>& ReportSizes();  // bag, wheelbarrow, truck

struct Report {
  std::string id;
  std::optional<std::string> user_id;
  std::optional<std::string> reporter_username;
  std::string image_key, thumbnail_key;
  std::optional<std::string> verification_image_key;
  std::string waste_type;
  std::optional<std::string> ai_detected_type;
  std::optional<double> ai_confidence;
  double lat = 0, lng = 0;
  std::string address;
  std::optional<std::string> city, country, location_source;
  std::optional<std::string> description;
  ReportStatus status = ReportStatus::kSubmitted;
  Priority priority = Priority::kMedium;
  std::optional<std::string> size;
  bool blocks_drain = false;
  std::optional<std::string> dispatched_to, dispatched_at, resolved_at, resolved_by;
  std::optional<std::string> rejection_reason, duplicate_of, captured_at, deleted_at;
  int64_t confirmations = 0;
  // An admin keeps its photos off public view (faces, plates): only the reporter and
  // admins may fetch them.
  bool photo_hidden = false;
  std::string created_at, updated_at;
};

// What collecting a report puts on a truck, in the fleet's capacity units (bags): by size
// (bag 1, wheelbarrow 3, truck 10, unknown 2), construction debris counting double.
int64_t EstimatedVolume(const Report& r);

struct NewReport {
  std::string waste_type;
  std::optional<double> lat, lng;
  std::optional<std::string> address, description, size;
  bool blocks_drain = false;
  std::optional<std::string> idempotency_key;
};

struct ReportEdit {
  std::optional<std::string> waste_type, description, size, address;
  std::optional<Priority> priority;
  std::optional<bool> blocks_drain;
};

struct StatusChange {
  ReportStatus status = ReportStatus::kAcknowledged;
  std::optional<std::string> reason;        // required for rejected
  std::optional<std::string> duplicate_of;  // required for duplicate
  std::optional<std::string> note;
};

struct ReportFilter {
  std::vector<std::string> statuses, types, priorities;
  std::optional<std::string> city;
  std::optional<std::string> from, to;  // created_at range, RFC 3339
  std::optional<double> min_lat, max_lat, min_lng, max_lng;
  bool newest_first = true;
  bool by_priority = false;  // most urgent first, then oldest (the operator's work order)
  bool include_deleted = false;
  std::optional<std::string> search;      // in the address, city or description (any case)
  std::optional<std::string> vehicle_id;  // dispatched to this truck
  // The last item of the previous page: its id, or "<rank>.<id>" when by_priority.
  std::optional<std::string> cursor;
  std::vector<std::string> ids;  // only these reports (Open311 service_request_id)
  int limit = 25;                // one dashboard panel's worth
  int offset = 0;                // page-numbered clients (Open311); others use cursor
  // Bulk reads nobody waits to see their own write in (exports): the read replica, when
  // one is configured. A replica lags the primary by a little.
  bool from_replica = false;
};

// Reads the reports list's filters (status, type, priority, city, from, to, bbox) from the
// query string; what is wrong goes to `errors`. Shared by the list and the exports.
void ParseReportFilter(const HttpRequest& req, ReportFilter* f, std::vector<FieldError>* errors);

struct NearbyReport {
  Report report;
  double distance_m = 0;
};

struct ReportEvent {
  std::string id, event_type, created_at;
  std::optional<std::string> user_id, username, old_status, new_status, details;
};

// A status change (or dispatch) from the audit trail.
struct StatusUpdate {
  std::string event_id, report_id, new_status, details_json, created_at;
  std::optional<std::string> verification_image_key;  // none while its photos are hidden
};

// A filed report, and whether it is the replay of an earlier request with the same
// Idempotency-Key (then nothing new was created).
struct Submission {
  Report report;
  bool replayed = false;
};

class ReportService {
 public:
  ReportService(Database& db, const Clock& clock, const Config& config, const MediaStore& media,
                const Notifier& notifier, const EventLog& events);

  // Files a report with its photo (reports/submit.cc).
  Result<Submission> Submit(const Principal& who, const NewReport& in, std::string_view photo,
                            const ClientInfo& client);
  // NotFound unless `who` filed it, is an admin, or drives the vehicle it is assigned to.
  Result<Report> Get(const Principal& who, const std::string& id);
  Result<std::vector<Report>> List(const ReportFilter& filter);
  // Where List(from_replica) reads (database.read_url); the primary until set.
  void SetReadReplica(Database& replica) { reads_ = &replica; }
  Result<std::vector<Report>> ByUser(const Principal& who, const std::string& user_id, int limit);
  // Open (not resolved/rejected/duplicate/deleted) reports within `radius_m`, nearest first.
  Result<std::vector<NearbyReport>> Nearby(double lat, double lng, double radius_m,
                                           const std::optional<std::string>& type, int limit);
  Result<Report> Edit(const Principal& who, const std::string& id, const ReportEdit& edit,
                      const ClientInfo& client);
  // `after_photo` (may be empty) is stored as the verification image when resolving.
  Result<Report> ChangeStatus(const Principal& who, const std::string& id,
                              const StatusChange& change, std::string_view after_photo,
                              const ClientInfo& client);
  // Assigns the report to a vehicle: dispatched_to/at, status dispatched, vehicle busy.
  Result<Report> Dispatch(const Principal& admin, const std::string& vehicle_id,
                          const std::string& report_id, const ClientInfo& client);
  // Soft delete: hidden from everyone but admins; the audit trail stays.
  Status Delete(const Principal& admin, const std::string& id, const ClientInfo& client);
  Result<std::vector<ReportEvent>> Events(const Principal& who, const std::string& id);
  // Open reports no truck has yet, the most urgent then the oldest first (route planning).
  Result<std::vector<Report>> AwaitingDispatch(int limit);
  // The open reports assigned to a vehicle (its stops), in id order.
  Result<std::vector<Report>> StopsOf(const std::string& vehicle_id, int limit);
  // Status changes and dispatches of visible reports with from <= time < to, oldest first.
  Result<std::vector<StatusUpdate>> StatusUpdates(const std::string& from, const std::string& to,
                                                  int limit);
  // "Is it still there?" from a citizen who found an open report before filing their own:
  // kind is still_there | more | less | cleaned. One answer per user per report (a new one
  // replaces the old); subscribes them to the report; three or more "still there"/"more"
  // raise the priority one step (once). NotFound for closed or hidden reports.
  Result<Report> Confirm(const Principal& who, const std::string& id, const std::string& kind,
                         const ClientInfo& client);

  // An admin confirms or corrects a report's waste type (the AI's learning loop): `also`
  // runs first in the same transaction (the label row); the type changes when corrected;
  // audited as report.type_confirmed or report.type_corrected; watchers are told.
  Result<Report> ReviewType(const Principal& admin, const std::string& id,
                            const std::string& waste_type, int64_t boxes, const ClientInfo& client,
                            const std::function<Status(Connection&)>& also);

  // An admin hides a report's photos from public view, or shows them again (audited as
  // report.photo_hidden / report.photo_shown). Its photos' URLs then answer only the
  // reporter and admins (MayReadMedia).
  Result<Report> SetPhotoHidden(const Principal& admin, const std::string& id, bool hidden,
                                const ClientInfo& client);
  // Whether `who` (nobody when signed out) may fetch the stored file `key`: anyone, unless
  // it is a photo of a report whose photos are hidden.
  Result<bool> MayReadMedia(const std::string& key, const std::optional<Principal>& who);
  // Follows a public report (its news reaches `who` like its reporter's), or stops.
  // NotFound for what is not public and not theirs to see.
  Status Follow(const Principal& who, const std::string& id, bool follow);
  // A report anyone may see (IsPublic), with its public timeline: when it was filed and
  // each status it reached, oldest first; nobody's name. NotFound otherwise.
  struct PublicStep {
    std::string status, at;
  };
  Result<std::pair<Report, std::vector<PublicStep>>> GetPublic(const std::string& id);
  // Whether `who` follows the report.
  Result<bool> Follows(const Principal& who, const std::string& id);

  const Config& config() const { return config_; }

  // Names the city and country of a position (geocoding), when one is known.
  struct CityAndCountry {
    std::string city, country;
  };
  using Locator = std::function<std::optional<CityAndCountry>(double, double)>;
  void SetLocator(Locator locator) { locator_ = std::move(locator); }
  // Called in the transaction that stores a photo ("report" or "after"): the AI queues it.
  using PhotoHook = std::function<Status(Connection&, const std::string& report_id,
                                         const std::string& image_key, const std::string& photo)>;
  void SetPhotoHook(PhotoHook hook) { photo_hook_ = std::move(hook); }
  // Called in the transaction that files a report, with it (area alerts).
  using NewReportHook = std::function<Status(Connection&, const Report&)>;
  void SetNewReportHook(NewReportHook hook) { new_report_hook_ = std::move(hook); }

  // Publishes the report's new state as a live event to admins, subscribers and the
  // assigned driver, each with the view they are allowed.
  Status PublishChange(Connection& c, const std::string& type, const std::string& id);

 private:
  // Where a new report is: the device's position, else the photo's EXIF position.
  struct Placement {
    double lat = 0, lng = 0;
    std::string source;  // device | exif
    std::string address;
    std::optional<std::string> city, country;
  };
  // The report an earlier request with this key filed; Conflict when the key was used
  // for a different request.
  Result<std::optional<Report>> EarlierSubmission(const Principal& who, const std::string& key,
                                                  const std::string& hash);
  Result<Placement> Place(const NewReport& in, const StoredPhoto& photo);
  // The reporter's receipt, and every admin's alert for high and urgent reports.
  Status TellOfNewReport(Connection& c, const Principal& who, const std::string& id,
                         const NewReport& in, Priority priority, const std::string& address);
  Result<Report> Load(Connection& c, const std::string& id);
  bool MayView(const Principal& who, Connection& c, const Report& r);
  Status Audit(Connection& c, const std::string& report_id, const Principal& who,
               const std::string& event_type, const std::optional<std::string>& old_status,
               const std::optional<std::string>& new_status, const std::string& details_json,
               const ClientInfo& client);
  // Tells the reporter and everyone following `r` (template `kind` + `variant`).
  Status NotifyReporterAndSubscribers(Connection& c, const Report& r, const std::string& kind,
                                      const TemplateParams& params,
                                      const std::string& variant = "");

  Database& db_;
  Database* reads_ = &db_;  // the read replica, or the primary
  const Clock& clock_;
  const Config& config_;
  const MediaStore& media_;
  const Notifier& notifier_;
  const EventLog& events_;
  Locator locator_;
  PhotoHook photo_hook_;
  NewReportHook new_report_hook_;
};

// Whether anyone may see the report on the public map and its public page: not deleted,
// rejected or merged. Its photos and description only once an admin has acknowledged it
// and while its photos are not hidden.
bool IsPublic(const Report& r);
bool PhotoIsPublic(const Report& r);

// The JSON of a report. `full` adds who filed it (owner and admin views only). `sp` is
// where its values are allocated: pages of reports pass one monotonic buffer so that
// building and freeing them costs a few allocations, not thousands.
boost::json::object ReportJson(const Report& r, bool full, boost::json::storage_ptr sp = {});

// Registers /api/reports*, /api/waste-types.
// `answers` (may be null): keeps the admin's list pages and nearby answers between changes.
void RegisterReportRoutes(Router& router, ReportService& reports, ResponseCache* answers);

}  // namespace cleanai
