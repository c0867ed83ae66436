// The coordinator's check-in page: a "Scan" button opens the camera and fills in the volunteer's
// code. The browser's own reader (BarcodeDetector) is used where it exists; elsewhere (Safari on
// iOS) the vendored jsQR reads the camera's frames. The typed field always works.
(function () {
  "use strict";
  const form = document.getElementById("checkin-form");
  const button = document.getElementById("checkin-scan");
  const native = "BarcodeDetector" in window;
  if (!form || !button || !navigator.mediaDevices || !(native || typeof window.jsQR === "function")) {
    return;
  }
  button.hidden = false;
  const video = document.getElementById("checkin-video");
  const input = form.querySelector("input[name=code]");
  const canvas = document.createElement("canvas");
  let stream = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
    }
    video.hidden = true;
  }

  function reader() {
    if (native) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async () => {
        const found = await detector.detect(video);
        return found.length ? found[0].rawValue : null;
      };
    }
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      if (!video.videoWidth) {
        return null;
      }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return found ? found.data : null;
    };
  }

  button.addEventListener("click", async () => {
    if (stream) {
      stop();
      return;
    }
    const read = reader();
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
        const code = await read();
        if (code) {
          input.value = code;
          stop();
          form.requestSubmit();
          return;
        }
      } catch (error) {
        // A frame that could not be read: try the next one.
      }
      window.setTimeout(look, 250);
    };
    look();
  });
})();
