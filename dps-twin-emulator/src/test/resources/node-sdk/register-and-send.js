// Registers one device through DPS with the Node device SDKs, unchanged, then connects to the hub it was given and
// sends one telemetry message: the flow of the Azure IoT reference's Node device simulator. Settings come from the
// environment (the trust comes from NODE_EXTRA_CA_CERTS):
//   PROVISIONING_HOST          DPS host, or host:port (Node's DPS MQTT transport dials mqtts://<this>)
//   PROVISIONING_IDSCOPE       the ID scope
//   PROVISIONING_REGISTRATION_ID
//   PROVISIONING_SYMMETRIC_KEY the enrollment group's key; the device key is derived from it here, as the reference does
//   ADT_MODEL_ID               sent as the provisioning payload {"modelId": ...}
//   IOTHUB_GATEWAY_HOST        optional: GatewayHostName for the device connection string (host or host:port to dial)
//   IOTHUB_PORT                optional: HostName=<assigned hub>:<this> (Node then signs and names host:port)
// Prints one JSON line on stdout: {"registration": ..., "dpsPublished": [...], "dpsReceived": [...], "sent": true}
// or {"stage": "register"|"connect"|"send", "error": {"name": ..., "message": ...}, ...}.
'use strict';

const crypto = require('crypto');
const ProvisioningTransport = require('azure-iot-provisioning-device-mqtt').Mqtt;
const SymmetricKeySecurityClient = require('azure-iot-security-symmetric-key').SymmetricKeySecurityClient;
const ProvisioningDeviceClient = require('azure-iot-provisioning-device').ProvisioningDeviceClient;
const Client = require('azure-iot-device').Client;
const Message = require('azure-iot-device').Message;
const DeviceMqtt = require('azure-iot-device-mqtt').Mqtt;

const env = process.env;
const registrationId = env.PROVISIONING_REGISTRATION_ID;
const deviceKey = crypto.createHmac('SHA256', Buffer.from(env.PROVISIONING_SYMMETRIC_KEY, 'base64'))
  .update(registrationId, 'utf8').digest('base64');

const out = { dpsPublished: [], dpsReceived: [] };
function finish(code) {
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(code));
}
function fail(stage, err) {
  out.stage = stage;
  out.error = { name: err && err.name, message: String(err && err.message) };
  finish(0);
}
setTimeout(() => fail('timeout', new Error('no result within 90 s')), 90000).unref();

const transport = new ProvisioningTransport();
// observe, without changing, the MQTT topics the DPS transport publishes and receives ($rid matching)
const base = transport._mqttBase;
const publish = base.publish.bind(base);
base.publish = (topic, payload, options, callback) => {
  out.dpsPublished.push({ topic: topic, payload: String(payload) });
  return publish(topic, payload, options, callback);
};
base.on('message', (topic) => out.dpsReceived.push(topic));

const provisioningClient = ProvisioningDeviceClient.create(env.PROVISIONING_HOST, env.PROVISIONING_IDSCOPE,
  transport, new SymmetricKeySecurityClient(registrationId, deviceKey));
provisioningClient.setProvisioningPayload({ modelId: env.ADT_MODEL_ID });
provisioningClient.register((err, result) => {
  if (err) {
    return fail('register', err);
  }
  out.registration = result;
  const hostName = result.assignedHub + (env.IOTHUB_PORT ? ':' + env.IOTHUB_PORT : '');
  const connectionString = 'HostName=' + hostName + ';DeviceId=' + result.deviceId
    + ';SharedAccessKey=' + deviceKey + (env.IOTHUB_GATEWAY_HOST ? ';GatewayHostName=' + env.IOTHUB_GATEWAY_HOST : '');
  const client = Client.fromConnectionString(connectionString, DeviceMqtt);
  client.open((openErr) => {
    if (openErr) {
      return fail('connect', openErr);
    }
    const message = new Message(JSON.stringify({ Temperature: 21.5 }));
    message.contentType = 'application/json';
    message.contentEncoding = 'utf-8';
    message.properties.add('source', 'node simulator');
    client.sendEvent(message, (sendErr) => {
      if (sendErr) {
        return fail('send', sendErr);
      }
      out.sent = true;
      client.close(() => finish(0));
    });
  });
});
