/* "Is it open today?" Fills in the line above the hours (p[data-today]) by the mall's clock
   (data-tz), not the phone's, from the hours table and the list of closed days: those are the
   answer when this script does not run, so it only reads them. Marks today's row and hides the
   closed days already past. */
(function () {
  var line = document.querySelector("[data-today]");
  if (!line || !window.Intl) { return; }
  var now = {};
  try {
    new Intl.DateTimeFormat("en-US", {
      timeZone: line.getAttribute("data-tz"), hourCycle: "h23", year: "numeric",
      month: "numeric", day: "numeric", hour: "numeric", minute: "numeric"
    }).formatToParts(new Date()).forEach(function (part) { now[part.type] = part.value; });
  } catch (error) { return; }  /* a browser without time zones: the table answers */
  var each = function (selector, act) { Array.prototype.forEach.call(document.querySelectorAll(selector), act); };
  var DAY = 864e5, CODES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
  var today = Date.UTC(+now.year, now.month - 1, +now.day);
  var minute = (now.hour % 24) * 60 + +now.minute;
  var iso = function (time) { return new Date(time).toISOString().slice(0, 10); };
  var ofClock = function (hhmm) { return hhmm.slice(0, 2) * 60 + +hhmm.slice(3); };
  var days = {}, closed = {};
  each("tr[data-day]", function (row) {
    var times = row.querySelectorAll("time");
    days[row.getAttribute("data-day")] = {
      row: row, name: row.cells[0].textContent, hours: row.cells[1].textContent,
      opens: times.length ? times[0].textContent : "",
      closes: times.length ? ofClock(times[times.length - 1].getAttribute("datetime")) : 0
    };
  });
  each("li[data-date]", function (item) {
    var date = item.getAttribute("data-date");
    closed[date] = item.getAttribute("data-reason") || "";
    if (date < iso(today)) { item.hidden = true; }
  });
  var say = function (key, words) {
    return line.getAttribute("data-" + key).replace(/\{(\w+)\}/g, function (all, name) {
      return name in words ? words[name] : all;
    });
  };
  var day = days[CODES[new Date(today).getUTCDay()]];
  if (!day) { return; }
  day.row.className += " today";
  day.row.setAttribute("aria-current", "date");
  var reason = closed[iso(today)], first, next = "";
  if (reason) {
    first = say("holiday", {reason: reason});
  } else if (reason === "" || !day.opens) {
    first = say("closed", {day: day.name});
  } else if (minute >= day.closes) {
    first = say("over", {day: day.name, hours: day.hours});
  } else {
    first = say("open", {day: day.name, hours: day.hours});
  }
  if (reason !== undefined || !day.opens || minute >= day.closes) {
    for (var ahead = 1; ahead <= 60 && !next; ahead++) {
      var time = today + ahead * DAY, other = days[CODES[new Date(time).getUTCDay()]];
      if (other && other.opens && closed[iso(time)] === undefined) {
        var date = new Date(time), months = line.getAttribute("data-months").split("|");
        /* within six days the weekday alone is plain; further on it needs its date */
        next = say(ahead < 7 ? "next" : "next-date", {
          day: other.name, time: other.opens, date: date.getUTCDate() + " " + months[date.getUTCMonth()]
        });
      }
    }
  }
  var strong = document.createElement("strong"), at = first.indexOf(day.hours);
  if (at < 0 || !day.hours) {
    strong.textContent = first;
  } else {  /* the hours on one line: never "08.00–" above "15.00" */
    var hours = document.createElement("span");
    hours.className = "nowrap";
    hours.textContent = day.hours;
    strong.appendChild(document.createTextNode(first.slice(0, at)));
    strong.appendChild(hours);
    strong.appendChild(document.createTextNode(first.slice(at + day.hours.length)));
  }
  line.appendChild(strong);
  if (next) {
    var then = document.createElement("span");
    then.className = "then";
    then.textContent = next;
    line.appendChild(then);
  }
  line.hidden = false;
})();
