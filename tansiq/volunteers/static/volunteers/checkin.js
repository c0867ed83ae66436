// The coordinator's check-in page: where the browser reads QR codes itself (BarcodeDetector), a
// "Scan" button opens the camera and fills in the volunteer's code; the typed field always works.
(function () {
  "use strict";
  const form = document.getElementById("checkin-form");
  const button = document.getElementById("checkin-scan");
  if (!form || !button || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  const video = document.getElementById("checkin-video");
  const input = form.querySelector("input[name=code]");
  let stream = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
    }
    video.hidden = true;
  }

  button.addEventListener("click", async () => {
    if (stream) {
      stop();
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      button.disabled = true;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const look = async () => {
      if (!stream) {
        return;
      }
      try {
        const found = await detector.detect(video);
        if (found.length) {
          input.value = found[0].rawValue;
          stop();
          form.requestSubmit();
          return;
        }
      } catch (error) {
        // A frame the detector could not read: try the next one.
      }
      window.setTimeout(look, 250);
    };
    look();
  });
})();
